import { TaskMetadata } from '../../../lib/options/task-options';
import { buildTaskMessage, parseTaskMessage } from '../../../lib/protocol';
import { resolveTaskPolicy } from '../../../lib/registry/task-policy';
import { timeLimitsFor } from '../../../lib/worker/time-limits';

function meta(options: Partial<TaskMetadata>): TaskMetadata {
  return { name: 'videos.transcode', ...options };
}

describe('task policy', () => {
  it('honours the timelimit header [hard, soft] over the task, field by field', () => {
    const policy = resolveTaskPolicy(
      meta({ timeLimit: 60, softTimeLimit: 50 }),
      {},
      false,
    );
    const request = (timeLimit: [number | null, number | null]) =>
      parseTaskMessage(
        buildTaskMessage({
          name: 'x',
          id: 'i',
          args: [],
          kwargs: {},
          origin: 'o',
          timeLimit,
        }),
      );
    expect(timeLimitsFor(policy, request([null, null]))).toEqual({
      hard: 60,
      soft: 50,
    });
    expect(timeLimitsFor(policy, request([5, null]))).toEqual({
      hard: 5,
      soft: 50,
    });
    expect(timeLimitsFor(policy, request([null, 2]))).toEqual({
      hard: 60,
      soft: 2,
    });
  });
});
