import { TaskClient, chord, group } from '../../lib';
import { uniqueName } from '../support/wait';
import { BROKERS, interopBroker } from './support/brokers';
import { nestApp } from './support/nest-app';
import { InteropTasks } from './support/nest-tasks';
import {
  CeleryWorker,
  PythonStep,
  PythonWorkflow,
  sendFromPython,
} from './support/python';

/**
 * Celery canvas across languages: Python builds the workflow, Python and Nest workers
 * each run their steps, results in Redis (the native chord counter).
 */
describe.each(BROKERS)(
  'interop on $label: canvas across Python and Nest',
  (setup) => {
    const broker = interopBroker(setup, 'canvas');
    const pyQueue = broker.queue('py');
    const nestQueue = broker.queue('nest');
    const config = broker.celeryConfig();

    const py = (
      name: string,
      args: unknown[],
      extra: Partial<PythonStep> = {},
    ): PythonStep => ({
      name,
      args,
      options: { queue: pyQueue },
      ...extra,
    });
    const nest = (
      name: string,
      args: unknown[],
      extra: Partial<PythonStep> = {},
    ): PythonStep => ({
      name,
      args,
      options: { queue: nestQueue },
      ...extra,
    });
    const run = async (workflow: PythonWorkflow) => {
      const { workflow: report } = await sendFromPython(config, { workflow });
      broker.sent.add(report!.id);
      for (const id of report!.parents) broker.sent.add(id);
      return report!;
    };

    let client: TaskClient;

    beforeAll(async () => {
      const [, app] = await Promise.all([
        CeleryWorker.start({
          name: uniqueName('canvas'),
          queues: [pyQueue],
          config,
        }),
        nestApp(
          broker.nestOptions({
            defaultQueue: pyQueue,
            worker: { queues: [nestQueue], concurrency: 4 },
          }),
          [InteropTasks],
        ),
      ]);
      client = app.get(TaskClient);
    });

    afterAll(() => broker.cleanup());

    it('a chain Python -> Nest -> Python returns the right value to Python, with parent links', async () => {
      const report = await run({
        chain: [
          py('py.add', [1, 2]),
          nest('math.add', [10]),
          py('py.mul', [2]),
        ],
      });
      expect(report).toMatchObject({ state: 'SUCCESS', result: 26 });
      expect(report.parents).toHaveLength(2);
    });

    it('an immutable step (.si) ignores the previous result', async () => {
      const report = await run({
        chain: [
          py('py.add', [1, 2]),
          nest('math.add', [5, 5], { immutable: true }),
          py('py.mul', [3]),
        ],
      });
      expect(report).toMatchObject({ state: 'SUCCESS', result: 30 });
    });

    it('a failing Nest step stops the chain: the last step reads its FAILURE in Python', async () => {
      const report = await run({
        chain: [py('py.add', [1, 2]), nest('nest.fail', []), py('py.mul', [3])],
      });
      expect(report).toMatchObject({
        state: 'FAILURE',
        exc_type: 'ValueError',
      });
    });

    it('a chord whose header mixes Python and Nest tasks and whose body is a Nest task', async () => {
      const report = await run({
        chord: {
          header: [
            py('py.add', [1, 1]),
            nest('math.add', [2, 2]),
            py('py.add', [3, 3]),
            nest('math.add', [4, 4]),
          ],
          body: nest('nest.sum', []),
        },
      });
      expect(report).toMatchObject({ state: 'SUCCESS', result: 20 });
    });

    it('a Nest header part completes a chord whose body is a Python task, results in header order', async () => {
      const report = await run({
        chord: {
          header: [
            nest('math.add', [1, 0]),
            py('py.add', [2, 0]),
            nest('math.add', [3, 0]),
          ],
          body: py('py.echo', []),
        },
      });
      expect(report).toMatchObject({
        state: 'SUCCESS',
        result: { args: [[1, 2, 3]], kwargs: {} },
      });
    });

    it('a failing Nest header part fails the chord with ChordError naming the task', async () => {
      const report = await run({
        chord: {
          header: [py('py.add', [1, 1]), nest('nest.fail', ['no'])],
          body: py('py.tsum', []),
        },
      });
      expect(report).toMatchObject({
        state: 'FAILURE',
        exc_type: 'ChordError',
      });
      expect(report.exc_message).toMatch(
        /^Dependency [0-9a-f-]{36} raised ValueError\('no'\)$/,
      );
    });

    it("Python's map and starmap of a Nest task (celery.map, celery.starmap) run on a Nest worker", async () => {
      const mapped = await run({
        map: nest('nest.sum', []),
        it: [[1, 2], [3]],
      });
      expect(mapped).toMatchObject({ state: 'SUCCESS', result: [3, 3] });
      const starred = await run({
        starmap: nest('math.add', []),
        it: [
          [1, 2],
          [3, 4],
        ],
      });
      expect(starred).toMatchObject({ state: 'SUCCESS', result: [3, 7] });
    });

    it("Python's chunks of a Nest task: a group of celery.starmap, one list per part", async () => {
      const report = await run({
        chunks: nest('math.add', []),
        it: [
          [1, 1],
          [2, 2],
          [3, 3],
        ],
        n: 2,
      });
      expect(report).toMatchObject({ state: 'SUCCESS', result: [[2, 4], [6]] });
    });

    it('a chord sent from Nest: a header of Python and Nest tasks, a Nest body', async () => {
      const result = await chord(
        [
          client.signature<number>('py.add', [1, 1], { queue: pyQueue }),
          client.signature(InteropTasks, 'add', [2, 2], { queue: nestQueue }),
          client.signature<number>('py.mul', [3, 3], { queue: pyQueue }),
        ],
        client.signature(InteropTasks, 'sum', [], { queue: nestQueue }),
      ).applyAsync();
      broker.sent.add(result.id);
      expect(await result.get({ timeout: 20 })).toBe(15);
    });

    it("Python's GroupResult.restore() reads a group Nest sent and saved", async () => {
      const result = await group(
        client.signature<number>('py.add', [1, 2], { queue: pyQueue }),
        client.signature(InteropTasks, 'add', [3, 4], { queue: nestQueue }),
      ).applyAsync();
      for (const member of result.results) broker.sent.add(member.id);
      expect(await result.get({ timeout: 20 })).toEqual([3, 7]);
      await result.save();
      try {
        const { restored } = await sendFromPython(config, {
          restore_group: result.id,
        });
        expect(restored).toEqual({
          id: result.id,
          ids: result.results.map((member) => member.id),
          values: [3, 7],
        });
      } finally {
        await result.delete();
      }
    });
  },
);
