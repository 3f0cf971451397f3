import { PreRunDecision, PreRunJob, PreRunStep } from './pre-run-step';

/** The checks a delivery passes before its task runs, in order; the first that does not say `run` decides. */
export class PreRunPipeline {
  constructor(readonly steps: readonly PreRunStep[]) {}

  async decide(job: PreRunJob): Promise<PreRunDecision> {
    for (const step of this.steps) {
      const checked = step.check(job);
      // Most checks answer at once: no extra turn of the event loop for them.
      const decision = checked instanceof Promise ? await checked : checked;
      if (decision.action !== 'run') return decision;
    }
    return { action: 'run' };
  }
}
