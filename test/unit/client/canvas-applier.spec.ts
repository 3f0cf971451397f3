import { CanvasApplier, LinkedSend } from '../../../lib/client/canvas-applier';
import { CanvasError } from '../../../lib/client/errors';
import { SignatureDict, chordErrorInfo } from '../../../lib/protocol';
import { MemoryResultBackend } from '../../../lib/results/memory/memory-result-backend';
import { uniqueName } from '../../support/wait';

const sig = (
  task: string,
  args: unknown[] = [],
  extra: Partial<SignatureDict> = {},
): SignatureDict => ({
  task,
  args,
  kwargs: {},
  options: {},
  subtask_type: null,
  immutable: false,
  ...extra,
});

function recorder() {
  const sent: {
    name: string;
    args: unknown[];
    links: Parameters<LinkedSend>[3];
    options: Parameters<LinkedSend>[2];
    taskId?: string;
  }[] = [];
  const send: LinkedSend = (name, args, options, links) => {
    sent.push({ name, args, links, options, taskId: options.taskId });
    return Promise.resolve();
  };
  return { sent, send };
}

describe('CanvasApplier: signatures in their dict form, sent as Celery sends them', () => {
  it('a chain: the first step carries the rest reversed; given args go before partial ones', async () => {
    const { sent, send } = recorder();
    const applier = new CanvasApplier(
      send,
      new MemoryResultBackend(uniqueName('canvas')),
    );
    const applied = await applier.apply(
      sig('celery.chain', [], {
        subtask_type: 'chain',
        kwargs: {
          tasks: [
            sig('a', [1]),
            sig('b', [2]),
            sig('c', [3], { immutable: true }),
          ],
        },
      }),
      [0],
    );
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ name: 'a', args: [0, 1] });
    const chain = sent[0].links.embed!.chain as SignatureDict[];
    expect(chain.map((step) => step.task)).toEqual(['c', 'b']);
    expect(applied.id).toBe(chain[0].options.task_id);
    expect(applied.parent?.id).toBe(chain[1].options.task_id);
    expect(applied.parent?.parent?.id).toBe(sent[0].taskId);
  });

  it('an immutable signature keeps its own args; link and link_error become callbacks and errbacks', async () => {
    const { sent, send } = recorder();
    const applier = new CanvasApplier(
      send,
      new MemoryResultBackend(uniqueName('canvas')),
    );
    await applier.apply(
      sig('a', [5], {
        immutable: true,
        options: { link: sig('ok'), link_error: [sig('ko')] },
      }),
      [99],
      { parentId: 'p', rootId: 'r' },
    );
    expect(sent[0]).toMatchObject({
      name: 'a',
      args: [5],
      links: { parentId: 'p', rootId: 'r' },
    });
    expect(sent[0].links.embed).toMatchObject({
      callbacks: [{ task: 'ok' }],
      errbacks: [{ task: 'ko' }],
      chain: null,
      chord: null,
    });
  });

  it('a chord sets its size on the counter, then each header part carries group, index and the body', async () => {
    const { sent, send } = recorder();
    const backend = new MemoryResultBackend(uniqueName('canvas'));
    const applier = new CanvasApplier(send, backend);
    const header = sig('celery.group', [], {
      subtask_type: 'group',
      kwargs: { tasks: [sig('a'), sig('b')] },
    });
    const applied = await applier.apply(
      sig('celery.chord', [], {
        subtask_type: 'chord',
        kwargs: { header, body: sig('sum') },
      }),
    );
    expect(sent.map((part) => [part.name, part.links.groupIndex])).toEqual([
      ['a', 0],
      ['b', 1],
    ]);
    const groupId = sent[0].links.group!;
    expect(applied.parent?.id).toBe(groupId);
    expect(sent[0].links.embed!.chord).toMatchObject({
      task: 'sum',
      options: { task_id: applied.id },
    });
    // The counter completes on the second part, with the results in header order.
    expect(
      await backend.addChordPart({
        groupId,
        taskId: 'y',
        groupIndex: 1,
        status: 'SUCCESS',
        result: 2,
      }),
    ).toBeNull();
    expect(
      await backend.addChordPart({
        groupId,
        taskId: 'x',
        groupIndex: 0,
        status: 'SUCCESS',
        result: 1,
      }),
    ).toEqual([
      { taskId: 'x', status: 'SUCCESS', result: 1 },
      { taskId: 'y', status: 'SUCCESS', result: 2 },
    ]);
  });

  it('a chord on a backend without a counter sends celery.chord_unlock after its header, as fallback_chord_unlock does', async () => {
    const { sent, send } = recorder();
    const memory = new MemoryResultBackend(uniqueName('canvas'));
    const noCounter = {
      kind: 'postgres',
      store: memory.store.bind(memory),
    } as unknown as MemoryResultBackend;
    const applied = await new CanvasApplier(send, noCounter).apply(
      sig('celery.chord', [], {
        subtask_type: 'chord',
        kwargs: {
          header: [sig('a'), sig('b')],
          body: sig('sum', [], { options: { queue: 'bodies', priority: 3 } }),
        },
      }),
    );
    expect(sent.map((each) => each.name)).toEqual([
      'a',
      'b',
      'celery.chord_unlock',
    ]);
    const [a, b, unlock] = sent;
    expect(unlock.args[0]).toBe(applied.parent!.id);
    expect(unlock.args[1]).toMatchObject({ task: 'sum' });
    expect(unlock.options).toMatchObject({
      countdown: 1,
      queue: 'bodies',
      priority: 3,
      ignoreResult: true,
      kwargs: {
        interval: null,
        max_retries: null,
        result: [
          [[a.taskId, null], null],
          [[b.taskId, null], null],
        ],
      },
    });
  });

  it('a chord on a backend that refuses chords (rpc://): CanvasError, nothing sent', async () => {
    const { sent, send } = recorder();
    const memory = new MemoryResultBackend(uniqueName('canvas'));
    const noCounter = {
      ...memory,
      kind: 'rpc',
      refusesChords: 'results go to the sender only',
      store: memory.store.bind(memory),
      setChordSize: undefined,
      addChordPart: undefined,
    };
    const applier = new CanvasApplier(
      send,
      noCounter as unknown as MemoryResultBackend,
    );
    await expect(
      applier.apply(
        sig('celery.chord', [], {
          subtask_type: 'chord',
          kwargs: { header: [sig('a')], body: sig('sum') },
        }),
      ),
    ).rejects.toThrow(CanvasError);
    expect(sent).toHaveLength(0);
  });

  it("ChordError reads as Celery's: Dependency <id> raised ValueError('boom')", () => {
    expect(
      chordErrorInfo('abc', {
        exc_type: 'ValueError',
        exc_message: ['boom'],
        exc_module: 'builtins',
      }),
    ).toEqual({
      exc_type: 'ChordError',
      exc_message: ["Dependency abc raised ValueError('boom')"],
      exc_module: 'celery.exceptions',
    });
  });
});
