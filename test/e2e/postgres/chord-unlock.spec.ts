import { Injectable } from '@nestjs/common';
import { Task, TaskClient, TaskFailedError, chain, chord } from '../../../lib';
import { PostgresResultBackend } from '../../../lib/results/postgres/postgres-result-backend';
import {
  ExecutionHarness,
  useExecutionFixture,
} from '../../conformance/execution/harness';
import { POSTGRES_URL, dropSchema, uniqueSchema } from '../../support/postgres';
import { uniqueName } from '../../support/wait';

@Injectable()
class UnlockTasks {
  @Task('unlock.add')
  add(a: number, b: number): number {
    return a + b;
  }

  /** Ends after `ms`: the header is not ready when chord_unlock first looks. */
  @Task('unlock.slow')
  async slow(value: number, ms: number): Promise<number> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return value;
  }

  @Task('unlock.sum')
  sum(numbers: number[]): number {
    return numbers.reduce((total, n) => total + n, 0);
  }

  @Task('unlock.fail')
  fail(value: string): never {
    throw new RangeError(`no ${value}`);
  }
}

/**
 * Chords on Celery's database backend, which has no chord counter: the sender sends
 * `celery.chord_unlock`, which a Nest worker runs, polling the header with retries.
 */
describe('postgres results: chords joined by celery.chord_unlock', () => {
  const schema = uniqueSchema('unlock');
  const harness: ExecutionHarness = {
    connection: () => ({
      broker: `memory://${uniqueName('unlock-broker')}`,
      backend: POSTGRES_URL,
      backendOptions: { schema, pollIntervalMs: 50 },
    }),
    cleanup: async () => undefined,
  };
  const fixture = useExecutionFixture(harness);
  let client: TaskClient;

  beforeAll(async () => {
    const creator = PostgresResultBackend.fromUrl(POSTGRES_URL, { schema });
    await creator.connect();
    await creator.close();
  });

  beforeEach(async () => {
    client = fixture().client(await fixture().app([UnlockTasks]));
  });

  afterAll(() => dropSchema(schema));

  const slow = (value: number, ms: number) =>
    client.signature(UnlockTasks, 'slow', [value, ms]);

  it('the body gets the header results in order once chord_unlock sees them all ready', async () => {
    const result = await chord(
      [slow(1, 1500), slow(2, 10), slow(3, 700)],
      client.signature(UnlockTasks, 'sum'),
    ).applyAsync();
    expect(await result.get({ timeout: 20 })).toBe(6);
    const header = result.parent as { results: { id: string }[] };
    expect(header.results).toHaveLength(3);
  });

  it('a failing header task fails the body with ChordError naming it', async () => {
    const result = await chord(
      [slow(1, 10), client.signature(UnlockTasks, 'fail', ['part'])],
      client.signature(UnlockTasks, 'sum'),
    ).applyAsync();
    const error = (await result
      .get({ timeout: 20 })
      .catch((e: unknown) => e)) as TaskFailedError;
    expect(error).toBeInstanceOf(TaskFailedError);
    expect(error.excType).toBe('ChordError');
    const partId = (result.parent as { results: { id: string }[] }).results[1]
      .id;
    expect(error.excMessage).toBe(
      `Dependency ${partId} raised RangeError('no part')`,
    );
  });

  it('a chord inside a chain: the chain goes on after the body', async () => {
    const add = client.signature(UnlockTasks, 'add', [1, 1]);
    const result = await chain(
      chord([add, slow(5, 300)], client.signature(UnlockTasks, 'sum')),
      client.signature(UnlockTasks, 'add', [10]),
    ).applyAsync();
    expect(await result.get({ timeout: 20 })).toBe(17);
  });

  it('in eager mode the header runs inline, then chord_unlock finds it ready and calls the body', async () => {
    const eager = fixture().client(
      await fixture().app([UnlockTasks], { eager: true, worker: false }),
    );
    const result = await chord(
      [
        eager.signature(UnlockTasks, 'add', [1, 2]),
        eager.signature(UnlockTasks, 'add', [3, 4]),
      ],
      eager.signature(UnlockTasks, 'sum'),
    ).applyAsync();
    expect(await result.get({ timeout: 20 })).toBe(10);
  });
});
