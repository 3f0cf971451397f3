import { buildTaskMessage, parseTaskMessage } from '../../../lib/protocol';
import { resolveTaskPolicy } from '../../../lib/registry/task-policy';
import { SoftTimeLimitExceeded } from '../../../lib/worker/errors';
import { RunControl } from '../../../lib/worker/run-control';
import { RunningTask } from '../../../lib/worker/running-task';
import { armTimeLimits } from '../../../lib/worker/time-limits';

describe('RunningTask.throwIfAborted', () => {
  it("throws nothing until the soft limit passes, then Celery's SoftTimeLimitExceeded", async () => {
    const request = parseTaskMessage(
      buildTaskMessage({
        name: 'x',
        id: 'i',
        args: [],
        kwargs: {},
        origin: 'o',
        timeLimit: [null, 0.05],
      }),
    );
    const control = new RunControl();
    const task = new RunningTask(request, {
      queue: 'q',
      eager: false,
      control,
      policy: resolveTaskPolicy({ name: 'x' }, {}, false).retry,
      storeProgress: () => Promise.resolve(),
    });
    const disarm = armTimeLimits(control, { hard: null, soft: 0.05 });
    try {
      expect(() => task.throwIfAborted()).not.toThrow();
      await new Promise((resolve) => setTimeout(resolve, 80));
      let thrown: unknown;
      try {
        task.throwIfAborted();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(SoftTimeLimitExceeded);
      expect(thrown).toMatchObject({
        name: 'SoftTimeLimitExceeded',
        excModule: 'billiard.exceptions',
      });
    } finally {
      disarm();
    }
  });
});
