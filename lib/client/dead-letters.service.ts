import { Inject, Injectable } from '@nestjs/common';
import { TRANSPORT } from '../options/tokens';
import {
  DeadLetter,
  Transport,
  hasDeadLetterAccess,
} from '../transports/transport';

/**
 * The broker's dead letters: messages that could not be run (malformed, unknown task)
 * and tasks that failed for good with `deadLetter: true`. Look at them, fix the cause,
 * replay them.
 */
@Injectable()
export class DeadLetters {
  constructor(@Inject(TRANSPORT) private readonly transport: Transport) {}

  /** Up to `limit` dead letters of `queue`, oldest first (they stay where they are). */
  async list(queue: string, limit = 100): Promise<DeadLetter[]> {
    return this.access().listDeadLetters(queue, limit);
  }

  /**
   * Sends up to `limit` dead letters of `queue` (oldest first) back to it, as they
   * were: same task id and headers, so a task that had used up its retries runs once
   * more and, failing again, comes back here. Resolves with how many were sent.
   */
  async replay(queue: string, limit?: number): Promise<number> {
    return this.access().replayDeadLetters(queue, limit);
  }

  /** Deletes up to `limit` dead letters of `queue` (oldest first; all by default). */
  async drop(queue: string, limit?: number): Promise<number> {
    return this.access().dropDeadLetters(queue, limit);
  }

  /** How many dead letters `queue` has. */
  async count(queue: string): Promise<number> {
    return this.access().countDeadLetters(queue);
  }

  private access() {
    if (!hasDeadLetterAccess(this.transport)) {
      throw new Error(
        `the ${this.transport.kind} transport keeps no dead letters ` +
          `(see DeadLetterAccess in lib/transports/transport.ts)`,
      );
    }
    return this.transport;
  }
}
