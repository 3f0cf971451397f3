import { hostname } from 'node:os';
import { Injectable } from '@nestjs/common';
import { Task } from '../../lib';
import { CeleriacRun, celeriac, jsonOf } from '../support/celeriac-cli';
import { uniqueName, waitUntil } from '../support/wait';
import { BROKERS, InteropBroker, interopBroker } from './support/brokers';
import { nestApp } from './support/nest-app';
import { CeleryWorker } from './support/python';

@Injectable()
class CliTasks {
  @Task('cli.add')
  add(a: number, b: number): number {
    return a + b;
  }

  @Task('cli.fail')
  fail(message: string): never {
    throw new RangeError(message);
  }
}

/** The CLI's broker, backend and transport options, as environment variables. */
function cliEnv(broker: InteropBroker): Record<string, string> {
  const env = broker.workerEnv();
  const redis = broker.setup.broker === 'redis';
  return {
    CELERIAC_BROKER_URL: (redis ? env.REDIS_URL : env.BROKER_URL)!,
    CELERIAC_BACKEND_URL: env.RESULTS_URL,
    CELERIAC_BROKER_OPTIONS: JSON.stringify(
      redis ? { keyPrefix: env.KEY_PREFIX } : { delayPrefix: env.DELAY_PREFIX },
    ),
  };
}

/**
 * The `celeriac` CLI, run as a child process as a user would, against a fleet of one
 * Nest worker and one real Celery worker.
 */
describe.each(BROKERS)('interop on $label: the celeriac CLI', (setup) => {
  const broker = interopBroker(setup, 'cli');
  const nestQueue = broker.queue('cli-nest');
  const pyQueue = broker.queue('cli-py');
  const shared = broker.queue('cli-shared');
  const idle = broker.queue('cli-idle');
  const nestNode = `${uniqueName('nest')}@${hostname()}`;
  const pyName = uniqueName('py');
  const pyNode = `${pyName}@${hostname()}`;
  const both = `${nestNode},${pyNode}`;
  let env: Record<string, string>;

  const run = (...args: string[]) => celeriac(args, env);
  /** A command with --json that must succeed: its parsed output. */
  const json = async <T>(...args: string[]): Promise<T> => {
    const result = await run(...args, '--json');
    if (result.code !== 0) {
      throw new Error(
        `celeriac ${args.join(' ')}: exit ${result.code}: ${result.stderr}`,
      );
    }
    return jsonOf<T>(result);
  };
  const sentId = (result: CeleriacRun) => {
    const { id } = jsonOf<{ id: string }>(result);
    broker.sent.add(id);
    return id;
  };

  beforeAll(async () => {
    env = cliEnv(broker);
    await nestApp(
      broker.nestOptions({
        worker: { queues: [nestQueue, shared], nodeName: nestNode },
      }),
      [CliTasks],
    );
    await CeleryWorker.start({
      name: pyName,
      queues: [pyQueue, shared],
      config: broker.celeryConfig(),
    });
  }, 60_000);

  afterAll(() => broker.cleanup());

  it('status lists the Nest and the Python worker', async () => {
    const { nodes } = await json<{ nodes: string[] }>('status', '-t', '3');
    expect(nodes).toEqual(expect.arrayContaining([nestNode, pyNode]));
    const text = await run('status', '-t', '3', '-d', both);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`${nestNode}: OK`);
    expect(text.stdout).toContain('2 nodes online.');
  });

  it("inspect ping, registered and active-queues answer for both, in Celery's shapes", async () => {
    expect(await json('inspect', 'ping', '-d', both, '-t', '5')).toEqual({
      [nestNode]: { ok: 'pong' },
      [pyNode]: { ok: 'pong' },
    });
    const registered = await json<Record<string, string[]>>(
      'inspect',
      'registered',
      '-d',
      both,
      '-t',
      '5',
    );
    expect(registered[nestNode]).toEqual(
      expect.arrayContaining(['cli.add', 'cli.fail']),
    );
    expect(registered[pyNode].join(' ')).toContain('py.add');
    const queues = await json<Record<string, { name: string }[]>>(
      'inspect',
      'active-queues',
      '-d',
      both,
      '-t',
      '5',
    );
    expect(queues[nestNode].map((q) => q.name).sort()).toEqual(
      [nestQueue, shared].sort(),
    );
    expect(queues[pyNode].map((q) => q.name).sort()).toEqual(
      [pyQueue, shared].sort(),
    );
  });

  it('call --wait runs a task on each side and prints its result; result reads it again', async () => {
    const nest = await json<{ id: string; state: string; result: unknown }>(
      'call',
      'cli.add',
      '[2, 3]',
      '--queue',
      nestQueue,
      '--wait',
      '-t',
      '30',
    );
    broker.sent.add(nest.id);
    expect(nest).toMatchObject({ state: 'SUCCESS', result: 5 });
    const python = await json<{ id: string; state: string; result: unknown }>(
      'call',
      'py.add',
      '[20, 22]',
      '--queue',
      pyQueue,
      '--wait',
      '-t',
      '30',
    );
    broker.sent.add(python.id);
    expect(python).toMatchObject({ state: 'SUCCESS', result: 42 });
    expect(await json('result', python.id)).toMatchObject({
      id: python.id,
      state: 'SUCCESS',
      result: 42,
    });
    const text = await run('result', nest.id);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('SUCCESS');
  });

  it('a task that fails exits 1 with its error; a wait that runs out exits 3', async () => {
    const failed = await run(
      'call',
      'py.fail',
      '["boom"]',
      '--queue',
      pyQueue,
      '--wait',
      '-t',
      '30',
      '--json',
    );
    const outcome = jsonOf<{
      id: string;
      state: string;
      result: { exc_type: string };
    }>(failed);
    broker.sent.add(outcome.id);
    expect(failed.code).toBe(1);
    expect(outcome).toMatchObject({
      state: 'FAILURE',
      result: { exc_type: 'ValueError' },
    });
    const nestFailed = await run(
      'call',
      'cli.fail',
      '["bad"]',
      '--queue',
      nestQueue,
      '--wait',
      '-t',
      '30',
    );
    expect(nestFailed.code).toBe(1);
    expect(nestFailed.stdout).toContain('RangeError: bad');

    const waited = await run(
      'call',
      'cli.add',
      '[1, 1]',
      '--queue',
      idle,
      '--wait',
      '-t',
      '1',
    );
    expect(waited.code).toBe(3);
    expect(waited.stderr.trim().split('\n')).toHaveLength(1);
    expect(waited.stderr).toMatch(/was not ready within 1 s/);
    await run('purge', idle, '--force');
  });

  it('control rate-limit reaches both workers; a bad argument is a usage error', async () => {
    const replies = await json<Record<string, { ok?: string }>>(
      'control',
      'rate-limit',
      'cli.add',
      '100/m',
      '-d',
      nestNode,
      '-t',
      '5',
    );
    expect(replies[nestNode].ok).toMatch(/rate limit set/);
    const python = await json<Record<string, { ok?: string }>>(
      'control',
      'rate-limit',
      'py.add',
      '100/m',
      '-d',
      pyNode,
      '-t',
      '5',
    );
    expect(python[pyNode].ok).toMatch(/rate limit set/);
    const bad = await run('control', 'pool-grow', 'many');
    expect(bad.code).toBe(64);
    expect(bad.stderr).toMatch(/whole number/);
  });

  it('pause stops every worker consuming a queue (Python too); resume brings them back', async () => {
    /** `celeriac pause|resume` of the shared queue on both nodes: the nodes that answered. */
    const answered = async (command: 'pause' | 'resume') =>
      Object.keys(
        await json<Record<string, { ok?: string }>>(
          command,
          shared,
          '-d',
          both,
          '-t',
          '5',
        ),
      ).sort();
    /** Waits until `count` workers consume the shared queue, as `celeriac queues` lists them. */
    const consumersBecome = (count: number, what: string) =>
      waitUntil(
        async () => {
          const [row] = await json<{ workers: string[] }[]>(
            'queues',
            shared,
            '-d',
            both,
            '-t',
            '3',
          );
          return row.workers.length === count;
        },
        30_000,
        what,
      );
    expect(await answered('pause')).toEqual([nestNode, pyNode].sort());
    await consumersBecome(0, 'nobody consuming the paused queue');
    // Resumed in the human form: a table of each node and its reply.
    const resumed = await run('resume', shared, '-d', both, '-t', '5');
    expect(resumed.code).toBe(0);
    for (const node of [nestNode, pyNode])
      expect(resumed.stdout).toMatch(
        new RegExp(`${node}\\s.*add consumer ${shared}`),
      );
    await consumersBecome(2, 'both consuming the resumed queue');
  });

  it('queues counts what waits; purge refuses without --force off a terminal, and empties with it', async () => {
    for (let i = 0; i < 3; i++) {
      sentId(
        await run('call', 'cli.add', `[${i}, 1]`, '--queue', idle, '--json'),
      );
    }
    const [before] = await json<{ queue: string; ready: number }[]>(
      'queues',
      idle,
    );
    expect(before).toMatchObject({ queue: idle, ready: 3 });

    const refused = await run('purge', idle);
    expect(refused.code).toBe(64);
    expect(refused.stderr).toMatch(/refusing to purge without --force/);
    expect((await json<{ ready: number }[]>('queues', idle))[0].ready).toBe(3);

    expect(await json('purge', idle, '--force')).toEqual({
      purged: { [idle]: 3 },
    });
    expect((await json<{ ready: number }[]>('queues', idle))[0].ready).toBe(0);
  });

  it('revoke: a task revoked before its countdown ends REVOKED (exit 1 from result)', async () => {
    const id = sentId(
      await run(
        'call',
        'cli.add',
        '[1, 2]',
        '--queue',
        nestQueue,
        '--countdown',
        '3',
        '--json',
      ),
    );
    expect(await json('revoke', id)).toEqual({
      revoked: [id],
      terminate: false,
    });
    const result = await run('result', id, '--wait', '-t', '30', '--json');
    expect(result.code).toBe(1);
    expect(jsonOf(result)).toMatchObject({ id, state: 'REVOKED' });
  });

  it('dead-letters: list what the Nest worker could not run, refuse a drop off a terminal, drop with --force', async () => {
    const id = sentId(
      await run('call', 'no.such.task', '[]', '--queue', nestQueue, '--json'),
    );
    let letters: { id: string; task: string; reason: string }[] = [];
    await waitUntil(
      async () => {
        letters = await json('dead-letters', 'list', nestQueue);
        return letters.length > 0;
      },
      30_000,
      'the dead letter',
    );
    expect(letters).toEqual([
      expect.objectContaining({ id, task: 'no.such.task' }),
    ]);
    const refused = await run('dead-letters', 'drop', nestQueue);
    expect(refused.code).toBe(64);
    expect(await json('dead-letters', 'drop', nestQueue, '--force')).toEqual({
      queue: nestQueue,
      dropped: 1,
    });
    expect(await json('dead-letters', 'list', nestQueue)).toEqual([]);
  });

  it('events tails the fleet: enable-events, then a Nest task seen received and succeeded, as JSON and as --dump', async () => {
    const enabled = await json<Record<string, { ok?: string }>>(
      'control',
      'enable-events',
      '-d',
      nestNode,
      '-t',
      '5',
    );
    expect(enabled[nestNode].ok).toMatch(/task events enabled/);
    const tail = (...args: string[]) =>
      run('events', '--task', 'cli.add', '--duration', '40', ...args);
    const jsonTail = tail(
      '--json',
      '--type',
      'task-received,task-succeeded',
      // Several tasks' worth: a worker that prefetched some sends their task-received
      // before the first one's task-succeeded.
      '-n',
      '6',
    );
    const dumpTail = tail('--dump', '--type', 'task-succeeded', '-n', '1');
    let finished = false;
    void Promise.all([jsonTail, dumpTail]).then(() => (finished = true));
    // Sends until both tails have what they wait for (each needs a moment to subscribe).
    for (let i = 0; i < 15 && !finished; i++) {
      sentId(
        await run(
          'call',
          'cli.add',
          `[40, ${i}]`,
          '--queue',
          nestQueue,
          '--json',
        ),
      );
    }
    const [lines, dumped] = await Promise.all([jsonTail, dumpTail]);
    expect(lines.code).toBe(0);
    const events = lines.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events.map((event) => event.type)).toEqual(
      expect.arrayContaining(['task-received', 'task-succeeded']),
    );
    expect(events).toHaveLength(6);
    for (const event of events) {
      expect(event).toMatchObject({ hostname: nestNode, name: 'cli.add' });
    }
    expect(dumped.code).toBe(0);
    expect(dumped.stdout).toMatch(
      new RegExp(
        `^${nestNode.replace(/[.]/g, '\\.')} \\[.*\\] task succeeded: `,
        'm',
      ),
    );
    await json('control', 'disable-events', '-d', nestNode, '-t', '5');
  }, 120_000);
});

describe('the celeriac CLI without a broker', () => {
  it.each([
    ['Redis', 'redis://127.0.0.1:1/0'],
    ['RabbitMQ', 'amqp://guest:guest@127.0.0.1:1'],
  ])(
    'a %s URL nobody answers on: one line on stderr, exit code 2',
    async (_label, url) => {
      const result = await celeriac([
        'status',
        '--broker',
        url,
        '--connect-timeout',
        '1',
      ]);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^celeriac: cannot connect to .*127\.0\.0\.1:1/);
      expect(result.stderr).not.toMatch(/^\s+at .*:\d+/m); // no stack
    },
  );

  it('no broker, an unknown command, a bad scheme: usage errors (64)', async () => {
    const none = await celeriac(['status'], {
      CELERIAC_BROKER_URL: '',
      BROKER_URL: '',
    });
    expect(none.code).toBe(64);
    expect(none.stderr).toMatch(/no broker/);
    expect((await celeriac(['frobnicate'])).code).toBe(64);
    const scheme = await celeriac(['status', '--broker', 'kafka://x']);
    expect(scheme.code).toBe(64);
    const help = await celeriac(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: celeriac/);
  });
});
