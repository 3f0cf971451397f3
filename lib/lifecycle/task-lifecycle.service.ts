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
        this.safely(o, () => o.beforeSend!(message, queue, parent));
  }

  sent(message: TaskMessage, queue: string): void {
    for (const o of this.observers)
      if (o.sent) this.safely(o, () => o.sent!(message, queue));
  }

  sendFailed(message: TaskMessage, queue: string, error: unknown): void {
    for (const o of this.observers)
      if (o.sendFailed)
        this.safely(o, () => o.sendFailed!(message, queue, error));
  }

  deadLettered(
    request: TaskRequest | undefined,
    queue: string,
    reason: string,
  ): void {
    for (const o of this.observers)
      if (o.deadLettered)
        this.safely(o, () => o.deadLettered!(request, queue, reason));
  }

  beatTick(schedule: string, outcome: BeatTickOutcome): void {
    for (const o of this.observers)
      if (o.beatTick) this.safely(o, () => o.beatTick!(schedule, outcome));
  }

  received(request: TaskRequest, queue: string): void {
    for (const o of this.observers)
      if (o.received) this.safely(o, () => o.received!(request, queue));
  }

  rejected(
    request: TaskRequest | undefined,
    queue: string,
    reason: string,
  ): void {
    for (const o of this.observers)
      if (o.rejected) this.safely(o, () => o.rejected!(request, queue, reason));
  }

  revoked(request: TaskRequest, reason: 'expired' | 'revoked'): void {
    for (const o of this.observers)
      if (o.revoked) this.safely(o, () => o.revoked!(request, reason));
  }

  started(request: TaskRequest, queue: string | null): void {
    for (const o of this.observers)
      if (o.started) this.safely(o, () => o.started!(request, queue));
  }

  finished(request: TaskRequest, end: RunEnd, runtimeMs: number): void {
    for (const o of this.observers)
      if (o.finished)
        this.safely(o, () => o.finished!(request, end, runtimeMs));
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

  /** An observer's error never reaches the task: logged once per observer. */
  private safely(observer: TaskObserver, call: () => void): void {
    try {
      call();
    } catch (error) {
      if (this.failed.has(observer)) return;
      this.failed.add(observer);
      this.logger.error(
        `A task observer failed (logged once, then ignored): ${String(error)}`,
      );
    }
  }
}
