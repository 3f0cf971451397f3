import { checkCanvas } from '../../../../lib/worker/pre-run/check-canvas';
import { job, request } from './pre-run-fixtures';

describe('pre-run check: canvas', () => {
  it('does not run a task that carries canvas: FAILURE NotImplementedError naming it, dead-lettered', () => {
    const embed = {
      callbacks: [{ task: 'next' }],
      errbacks: null,
      chain: [{ task: 'after' }],
      chord: null,
    };
    const req = request({ embed });
    const decision = checkCanvas().check(job(req));
    if (!('action' in decision) || decision.action !== 'reject')
      throw new Error('expected a reject');
    expect(decision.reason).toMatch(/^NotImplementedError: .*canvas/);
    expect(decision.log).toContain('Celeriac does not run Celery canvas yet');
    expect(decision).toMatchObject({
      meta: {
        status: 'FAILURE',
        task_id: req.id,
        result: {
          exc_type: 'NotImplementedError',
          exc_module: 'builtins',
        },
      },
    });
    const result = decision.meta.result as { exc_message: string[] };
    expect(result.exc_message[0]).toContain(
      'the rest of a chain (1 more task(s)), 1 link callback(s)',
    );
  });

  it('runs a plain task', () => {
    expect(checkCanvas().check(job())).toEqual({ action: 'run' });
  });
});
