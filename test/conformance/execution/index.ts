import { describeCanvas } from './canvas';
import { describeDeadLetters } from './dead-letters';
import { ExecutionHarness } from './harness';
import { describeContext } from './context';
import { describeLimits } from './limits';
import { describeNestIdioms } from './nest';
import { describeRetries } from './retries';
import { describeRevoke } from './revoke';

export type { ExecutionHarness } from './harness';

/**
 * Task execution as every broker must do it (issue 5), written once and run per broker
 * (kombu's shared suites): retries, context, time limits, rate limits, expiry, revoke,
 * Nest enhancers and hooks, dead letters, bad input.
 */
export function describeExecutionContract(
  label: string,
  harness: ExecutionHarness,
): void {
  describe(`${label} execution contract`, () => {
    describeRetries(harness);
    describeContext(harness);
    describeLimits(harness);
    describeRevoke(harness);
    describeNestIdioms(harness);
    describeDeadLetters(harness);
    describeCanvas(harness);
  });
}
