import { PreRunPipeline } from '../../../../lib/worker/pre-run/pre-run-pipeline';
import {
  PreRunDecision,
  PreRunStep,
  RUN,
} from '../../../../lib/worker/pre-run/pre-run-step';
import { job } from './pre-run-fixtures';

describe('PreRunPipeline', () => {
  const step = (
    name: string,
    decision: PreRunDecision,
    seen: string[],
  ): PreRunStep => ({
    name,
    check: () => {
      seen.push(name);
      return decision;
    },
  });

  it('runs when every check says run, asking each in order', async () => {
    const seen: string[] = [];
    const pipeline = new PreRunPipeline([
      step('a', RUN, seen),
      step('b', RUN, seen),
    ]);
    expect(await pipeline.decide(job())).toEqual(RUN);
    expect(seen).toEqual(['a', 'b']);
  });

  it('stops at the first check that decides otherwise', async () => {
    const seen: string[] = [];
    const defer: PreRunDecision = { action: 'defer', until: new Date() };
    const pipeline = new PreRunPipeline([
      step('a', RUN, seen),
      step('b', defer, seen),
      step('c', RUN, seen),
    ]);
    expect(await pipeline.decide(job())).toBe(defer);
    expect(seen).toEqual(['a', 'b']);
  });

  it('awaits a check that answers later', async () => {
    const pipeline = new PreRunPipeline([
      { name: 'slow', check: () => Promise.resolve({ action: 'hold', ms: 5 }) },
    ]);
    expect(await pipeline.decide(job())).toEqual({ action: 'hold', ms: 5 });
  });
});
