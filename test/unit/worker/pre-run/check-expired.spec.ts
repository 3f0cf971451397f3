import { checkExpired } from '../../../../lib/worker/pre-run/check-expired';
import { job, request } from './pre-run-fixtures';

describe('pre-run check: expired', () => {
  const now = Date.parse('2026-12-05T10:00:00Z');
  const check = checkExpired(() => now);

  it('lets a task without expires run', () => {
    expect(check.check(job())).toEqual({ action: 'run' });
  });

  it('lets a task that expires later run', () => {
    const later = new Date(now + 1000);
    expect(check.check(job(request({ expires: later })))).toEqual({
      action: 'run',
    });
  });

  it('revokes a task whose expiry has passed, saying when it expired', () => {
    const past = new Date(now - 1);
    const decision = check.check(job(request({ expires: past })));
    expect(decision).toMatchObject({ action: 'revoke', reason: 'expired' });
    expect(JSON.stringify(decision)).toContain(past.toISOString());
  });
});
