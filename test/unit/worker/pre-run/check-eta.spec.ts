import {
  ETA_HOLD_MAX_MS,
  ETA_SLACK_MS,
  checkEta,
} from '../../../../lib/worker/pre-run/check-eta';
import { delivery, job, request, task } from './pre-run-fixtures';

describe('pre-run check: eta', () => {
  const now = Date.parse('2026-12-05T10:00:00Z');
  const check = checkEta(() => now);

  it('runs a task with no eta, a past eta, or one within the slack', () => {
    expect(check.check(job())).toEqual({ action: 'run' });
    expect(check.check(job(request({ eta: new Date(now - 5000) })))).toEqual({
      action: 'run',
    });
    const close = new Date(now + ETA_SLACK_MS);
    expect(check.check(job(request({ eta: close })))).toEqual({
      action: 'run',
    });
  });

  it('defers a task that arrived early to its eta', () => {
    const eta = new Date(now + 60_000);
    expect(check.check(job(request({ eta })))).toEqual({
      action: 'defer',
      until: eta,
    });
  });

  it("holds it in memory until its eta where eta messages wait on the queue (holdForEta), Celery's way", () => {
    const held = { ...delivery(), holdForEta: () => undefined };
    const soon = request({ eta: new Date(now + 60_000) });
    expect(
      check.check({ delivery: held, request: soon, task: task() }),
    ).toEqual({ action: 'hold', ms: 60_000, eta: true });
    // A far eta is held an hour at a time, then checked again.
    const far = request({ eta: new Date(now + 3 * 86_400_000) });
    expect(check.check({ delivery: held, request: far, task: task() })).toEqual(
      { action: 'hold', ms: ETA_HOLD_MAX_MS, eta: true },
    );
  });
});
