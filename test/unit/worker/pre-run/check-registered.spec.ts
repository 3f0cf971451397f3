import { checkRegistered } from '../../../../lib/worker/pre-run/check-registered';
import { job, request } from './pre-run-fixtures';

describe('pre-run check: registered', () => {
  it('runs a task this worker has', () => {
    expect(checkRegistered().check(job())).toEqual({ action: 'run' });
  });

  it("rejects an unknown name with Celery's NotRegistered FAILURE, to dead letters", () => {
    const req = request({ name: 'nobody.has.this' });
    const decision = checkRegistered().check(job(req, null));
    expect(decision).toMatchObject({
      action: 'reject',
      reason: 'NotRegistered: nobody.has.this',
      meta: {
        task_id: req.id,
        status: 'FAILURE',
        result: {
          exc_type: 'NotRegistered',
          exc_message: ['nobody.has.this'],
          exc_module: 'celery.exceptions',
        },
      },
    });
  });
});
