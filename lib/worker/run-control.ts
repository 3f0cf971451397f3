/**
 * The worker's hold on one running task: the AbortSignal the task sees (made only when
 * someone asks for it), and the means to stop waiting for the task (hard time limit,
 * terminate) even if its promise never settles.
 */
export class RunControl {
  private controller: AbortController | null = null;
  private reason: Error | null = null;
  private interruption: Error | null = null;
  private onAbandon: ((reason: Error) => void) | null = null;

  get signal(): AbortSignal {
    this.controller ??= new AbortController();
    if (this.interruption && !this.controller.signal.aborted)
      this.controller.abort(this.interruption);
    return this.controller.signal;
  }

  /** Why the task was told to stop, or null while it may go on. */
  get interrupted(): Error | null {
    return this.interruption;
  }

  /** Why the worker gave up on the task, or null while it waits for it. */
  get abandonReason(): Error | null {
    return this.reason;
  }

  /** Tells the task to stop (its signal aborts); the worker keeps waiting for it. */
  interrupt(reason: Error): void {
    if (this.interruption) return;
    this.interruption = reason;
    if (this.controller) this.controller.abort(reason);
  }

  /** Stops waiting for the task, and tells it to stop. */
  abandon(reason: Error): void {
    if (this.reason) return;
    this.reason = reason;
    this.onAbandon?.(reason);
    this.interrupt(reason);
  }

  /** Calls `listener` once if (or as soon as) the worker gives up on the task. */
  whenAbandoned(listener: (reason: Error) => void): void {
    if (this.reason) listener(this.reason);
    else this.onAbandon = listener;
  }
}
