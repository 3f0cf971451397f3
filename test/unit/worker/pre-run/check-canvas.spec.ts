import { checkCanvas } from '../../../../lib/worker/pre-run/check-canvas';
import { job, request } from './pre-run-fixtures';

describe('pre-run check: canvas', () => {
  it('runs the task and warns about the canvas that will not follow', () => {
    const warnings: string[] = [];
    const check = checkCanvas((line) => warnings.push(line));
    const embed = {
      callbacks: [{ task: 'next' }],
      errbacks: null,
      chain: null,
      chord: null,
    };
    expect(check.check(job(request({ embed })))).toEqual({ action: 'run' });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('1 link callback(s)');
  });

  it('says nothing for a plain task', () => {
    const warnings: string[] = [];
    void checkCanvas((line) => warnings.push(line)).check(job());
    expect(warnings).toEqual([]);
  });
});
