import { randomUUID } from 'node:crypto';
import { SendOptions } from '../../lib';
import { BROKERS, interopBroker } from './support/brokers';
import { PythonCall } from './support/python';
import { wireCapture } from './support/wire-capture';

/** One call, as Python's send_task and as TaskClient.send write it. */
interface SameCall {
  what: string;
  python: Omit<PythonCall, 'name'>;
  nest: [args: unknown[], options: SendOptions];
}

const CALLS: SameCall[] = [
  {
    what: 'send_task(name, args=[2, 3])',
    python: { args: [2, 3] },
    nest: [[2, 3], {}],
  },
  {
    what: 'strings, floats, booleans, null, lists and kwargs',
    python: {
      args: ["O'Brien", 'héllo ✓ "quoted"', 2.5, true, null, [1, 'a', []]],
      kwargs: { z: 1, nested: { k: [null, false], e: {} }, 'two words': -3 },
    },
    nest: [
      ["O'Brien", 'héllo ✓ "quoted"', 2.5, true, null, [1, 'a', []]],
      {
        kwargs: { z: 1, nested: { k: [null, false], e: {} }, 'two words': -3 },
      },
    ],
  },
  {
    what: 'time limits and ignore_result',
    python: {
      args: [1],
      options: { time_limit: 30, soft_time_limit: 10, ignore_result: true },
    },
    nest: [[1], { timeLimit: 30, softTimeLimit: 10, ignoreResult: true }],
  },
  {
    what: 'time limits, ignore_result and expires',
    python: {
      args: [1],
      options: {
        time_limit: 30,
        soft_time_limit: 10,
        ignore_result: true,
        expires: 60,
      },
    },
    nest: [
      [1],
      { timeLimit: 30, softTimeLimit: 10, ignoreResult: true, expires: 60 },
    ],
  },
];

/**
 * Wire checks: the same call sent by Python Celery 5.2.6 and by Celeriac, each to a
 * queue nobody consumes, read raw from the broker and compared field by field.
 * Each broker's own checks are in redis/wire.spec.ts and amqp/wire.spec.ts.
 */
describe.each(BROKERS)(
  'interop on $label: the wire, field by field',
  (setup) => {
    const broker = interopBroker(setup, 'wire');
    const capture = wireCapture(broker);

    it.each(CALLS)('$what: the same message', async ({ python, nest }) => {
      const { differences } = await capture.sameCall(
        { name: 'wire.task', ...python },
        nest,
      );
      expect(differences()).toEqual([]);
    });

    it('a given task id: the same ids everywhere', async () => {
      const id = randomUUID();
      const { differences } = await capture.sameCall(
        { name: 'wire.task', args: [], options: { task_id: id } },
        [[], { taskId: id }],
      );
      expect(differences({ sameTaskId: true })).toEqual([]);
    });
  },
);
