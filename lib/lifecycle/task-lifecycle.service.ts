import { Injectable, Logger } from '@nestjs/common';
import { TaskMessage, TaskRequest } from '../protocol';
import { BeatTickOutcome, RunEnd, TaskObserver } from './task-observer';

/**
 * The observers of every task's life in this process: the client and the worker tell
 * it what happens, and it tells each observer. With no observer each call is a loop
 * over an empty list, so features that are off cost nothing on the hot path.
 */
@Injectable()
export class TaskLifecycle {
  private observers: TaskObserver[] = [];
  private wrappers: TaskObserver[] = [];
  private readonly logger = new Logger('TaskLifecycle');
  private readonly failed = new WeakSet<TaskObserver>();

  /** Adds an observer; the returned function removes it. */
  observe(observer: TaskObserver): () => void {
    this.observers = [...this.observers, observer];
    if (observer.aroundRun) this.wrappers = [...this.wrappers, observer];
    return () => {
      this.observers = this.observers.filter((o) => o !== observer);
      this.wrappers = this.wrappers.filter((o) => o !== observer);
    };
  }

  /** `parent`: the task a canvas step continues (see TaskObserver.beforeSend). */
  beforeSend(message: TaskMessage, queue: string, parent?: TaskRequest): void {
    for (const o of this.observers)
      if (o.beforeSend)
        try {
          o.beforeSend(message, queue, parent);
        } catch (thrown) {
          this.failedOnce(o, thrown);
        }
  }

  sent(message: TaskMessage, queue: string): void {
    for (const o of this.observers)
      if (o.sent)
        try {
          o.sent(message, queue);
        } catch (thrown) {
          this.failedOnce(o, thrown);
        }
  }

  sendFailed(message: TaskMessage, queue: string, error: unknown): void {
    for (const o of this.observers)
      if (o.sendFailed)
        try {
          o.sendFailed(message, queue, error);
        } catch (thrown) {
          this.failedOnce(o, thrown);
        }
  }

  deadLettered(
    request: TaskRequest | undefined,
    queue: string,
    reason: string,
  ): void {
    for (const o of this.observers)
      if (o.deadLettered)
        try {
          o.deadLettered(request, queue, reason);
        } catch (thrown) {
          this.failedOnce(o, thrown);
        }
  }

  beatTick(schedule: string, outcome: BeatTickOutcome): void {
    for (const o of this.observers)
      if (o.beatTick)
        try {
          o.beatTick(schedule, outcome);
        } catch (thrown) {
          this.failedOnce(o, thrown);
        }
  }

  received(request: TaskRequest, queue: string): void {
    for (const o of this.observers)
      if (o.received)
        try {
          o.received(request, queue);
        } catch (thrown) {
          this.failedOnce(o, thrown);
        }
  }

  rejected(
    request: TaskRequest | undefined,
    queue: string,
    reason: string,
  ): void {
    for (const o of this.observers)
      if (o.rejected)
        try {
          o.rejected(request, queue, reason);
        } catch (thrown) {
          this.failedOnce(o, thrown);
        }
  }

  revoked(request: TaskRequest, reason: 'expired' | 'revoked'): void {
    for (const o of this.observers)
      if (o.revoked)
        try {
          o.revoked(request, reason);
        } catch (thrown) {
          this.failedOnce(o, thrown);
        }
  }

  started(request: TaskRequest, queue: string | null): void {
    for (const o of this.observers)
      if (o.started)
        try {
          o.started(request, queue);
        } catch (thrown) {
          this.failedOnce(o, thrown);
        }
  }

  finished(request: TaskRequest, end: RunEnd, runtimeMs: number): void {
    for (const o of this.observers)
      if (o.finished)
        try {
          o.finished(request, end, runtimeMs);
        } catch (thrown) {
          this.failedOnce(o, thrown);
        }
  }

  /** Runs `run` inside every observer's `aroundRun`, the first added outermost. */
  aroundRun<T>(request: TaskRequest, run: () => Promise<T>): Promise<T> {
    let wrapped = run;
    for (let i = this.wrappers.length - 1; i >= 0; i--) {
      const observer = this.wrappers[i];
      const inner = wrapped;
      wrapped = () => observer.aroundRun!(request, inner);
    }
    return wrapped();
  }

  /**
   * An observer's error never reaches the task: logged once per observer. (Each hook
   * calls its observers in a try of its own, not through a closure or one shared helper:
   * see "Observers on the hot path" in docs/architecture.md.)
   */
  private failedOnce(observer: TaskObserver, thrown: unknown): void {
    if (this.failed.has(observer)) return;
    this.failed.add(observer);
    this.logger.error(
      `A task observer failed (logged once, then ignored): ${String(thrown)}`,
    );
  }
}
