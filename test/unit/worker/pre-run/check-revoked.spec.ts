import { checkRevoked } from '../../../../lib/worker/pre-run/check-revoked';
import { RevokedTasks } from '../../../../lib/worker/revoked-tasks';
import { job, request } from './pre-run-fixtures';

describe('pre-run check: revoked', () => {
  it('revokes a task id that was revoked, and runs the others', () => {
    const revoked = new RevokedTasks();
    const check = checkRevoked(revoked);
    const req = request();
    expect(check.check(job(req))).toEqual({ action: 'run' });
    revoked.add(req.id, Date.now() + 60_000);
    expect(check.check(job(req))).toMatchObject({
      action: 'revoke',
      reason: 'revoked',
    });
    expect(check.check(job())).toEqual({ action: 'run' });
  });

  it('runs a task whose revoke has expired', () => {
    const revoked = new RevokedTasks();
    const req = request();
    revoked.add(req.id, Date.now() - 1);
    expect(checkRevoked(revoked).check(job(req))).toEqual({ action: 'run' });
  });
});
