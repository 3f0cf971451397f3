import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { MessageTooLargeError } from '../transports/errors';
import { RESOLVED_OPTIONS, RESULT_BACKEND } from '../options/tokens';
import { ResolvedOptions } from '../options/resolve-options';
import {
  DateDoneForm,
  ExceptionInfo,
  ResultMeta,
  SignatureDict,
  readExceptionInfo,
  TaskMessage,
  TaskRequest,
  dateDoneFormOf,
  errorToExceptionInfo,
  inCeleryForm,
  resultMeta,
} from '../protocol';
import { RegisteredTask } from '../registry/registered-task';
import { TaskRegistry } from '../registry/task.registry';
import { TaskEvent, TaskHooks } from '../registry/task-hooks.service';
import { ChordPartResult, ResultBackend } from '../results/result-backend';
import { TaskOutcome } from './task-executor.service';
import { retryMessage } from './retry-message';
import { taskLogContext } from '../context/task-context.service';
import { CanvasApplier } from '../client/canvas-applier';
import { TaskClient } from '../client/task-client.service';
import { CanvasFollower } from './canvas-follower';
import { formatNodeName } from './control/node-name';

/** What to do with the delivery once a run is recorded. */
export type Settlement =
  | { kind: 'ack' }
  | { kind: 'requeue' }
  | { kind: 'dead-letter'; reason: string };

/** The run being finished and what finishing may do. */
export interface FinishContext {
  request: TaskRequest;
  task: RegisteredTask;
  /** The queue it came from (a retry goes back there); null in eager mode. */
  queue: string | null;
  /** Sends the retry message (a worker publishes it; eager mode runs it). */
  publishRetry: (queue: string | null, message: TaskMessage) => Promise<void>;
  /** False when the delivery was acked before the run (no dead letter possible). */
  canDeadLetter: boolean;
}

const ACK: Settlement = { kind: 'ack' };
const REQUEUE: Settlement = { kind: 'requeue' };

/**
 * Records how a run ended, as Celery does: SUCCESS; RETRY (stored, then the retry
 * published); FAILURE (dead-lettered when the task opts in); REVOKED. Calls the hooks,
 * and says how to settle the delivery.
 */
@Injectable()
export class TaskFinisher {
  private readonly dateDoneForm: DateDoneForm;
  private readonly canvas: CanvasFollower;
  private applier: CanvasApplier | null = null;
  /**
   * This process's node name in results (the extended `worker`): the `nodeName` option
   * formatted, then the name the worker took (ControlNode may add a pid to the default).
   */
  nodeName: string;

  constructor(
    @Inject(RESULT_BACKEND) private readonly backend: ResultBackend,
    @Inject(RESOLVED_OPTIONS) private readonly options: ResolvedOptions,
    private readonly hooks: TaskHooks,
    @Optional() private readonly moduleRef?: ModuleRef,
    @Optional() private readonly registry?: TaskRegistry,
  ) {
    this.dateDoneForm = dateDoneFormOf(options.celeryVersion);
    this.nodeName = formatNodeName(options.nodeName);
    this.canvas = new CanvasFollower(
      () => this.canvasApplier(),
      backend,
      (request) => ({
        replyTo: request.replyTo,
        expiresIn: this.options.resultExpiresSeconds,
      }),
      (name) => this.registry?.get(name),
    );
  }

  /** The client sends a workflow's next parts; taken lazily (the client's eager mode needs this finisher). */
  canvasApplier(): CanvasApplier {
    if (!this.applier) {
      const client = this.moduleRef?.get(TaskClient, { strict: false });
      if (!client)
        throw new Error('canvas needs the TaskClient, which is not provided');
      this.applier = new CanvasApplier(
        (name, args, options, links) =>
          client.sendLinked(name, args, options, links),
        this.backend,
      );
    }
    return this.applier;
  }

  /** A chord joined by `celery.chord_unlock` is complete: its body is called or failed. */
  completeChord(
    request: TaskRequest,
    body: SignatureDict,
    parts: ChordPartResult[],
  ): Promise<void> {
    return this.canvas.completeChord(request, body, parts);
  }

  async finish(
    outcome: TaskOutcome,
    context: FinishContext,
  ): Promise<Settlement> {
    const { request } = context;
    // Written out rather than spread from one object: V8 gave `{ ...ids, children }`
    // a new hidden class on every call (a map per task in the old generation).
    const parentId = request.parentId;
    const groupId = request.group;
    switch (outcome.kind) {
      case 'success': {
        let children: unknown[] = [];
        if (CanvasFollower.carriesCanvas(request)) {
          try {
            // Celery sends what follows before storing, so `children` is filled.
            children = await this.canvas.afterSuccess(request, outcome.value);
          } catch (error) {
            return this.finish({ kind: 'failure', error }, context);
          }
        }
        const stored = await this.store(
          request,
          resultMeta(request.id, 'SUCCESS', outcome.value, {
            parentId,
            groupId,
            children,
          }),
          context.queue,
        );
        if (stored) await this.followEnd(request, 'SUCCESS', outcome.value);
        if (this.hooks.listens('success', request.name)) {
          await this.hooks.emit('success', {
            ...eventOf(context),
            result: outcome.value,
          });
        }
        return stored ? ACK : REQUEUE;
      }
      case 'retry':
        return this.retry(outcome.error, outcome.eta, context);
      case 'failure': {
        const { error } = outcome;
        const deadLetter =
          context.canDeadLetter && context.task.policy.deadLetter;
        const info = errorToExceptionInfo(error);
        Logger.warn(
          `failed: ${info.exc_type}: ${info.exc_message.join(', ')}` +
            (deadLetter ? ' (dead-lettered)' : ''),
          taskLogContext(request),
        );
        const stored = await this.store(
          request,
          resultMeta(request.id, 'FAILURE', info, {
            parentId,
            groupId,
            traceback: traceOf(error),
          }),
          context.queue,
        );
        if (stored) await this.followFailure(request, info, traceOf(error));
        if (this.hooks.listens('failure', request.name)) {
          await this.hooks.emit('failure', {
            ...eventOf(context),
            error,
            deadLettered: stored && deadLetter,
          });
        }
        if (!stored) return REQUEUE;
        if (!deadLetter) return ACK;
        const retried =
          request.retries > 0 ? ` after ${request.retries} retries` : '';
        return {
          kind: 'dead-letter',
          reason: `failed${retried}: ${info.exc_type}: ${info.exc_message.join(', ')}`,
        };
      }
      case 'revoked':
        await this.storeRevoked(request, outcome.reason, context.queue);
        return ACK;
    }
  }

  /**
   * Stores STARTED with `{pid, hostname}` as its result, as Celery's tracer does for
   * `track_started` tasks; a backend failure is logged and the task runs anyway.
   */
  async storeStarted(request: TaskRequest, hostname: string): Promise<void> {
    if (request.ignoreResult) return;
    try {
      await this.backend.store(
        resultMeta(request.id, 'STARTED', { pid: process.pid, hostname }),
        {
          replyTo: request.replyTo,
          expiresIn: this.options.resultExpiresSeconds,
        },
      );
    } catch (error) {
      Logger.warn(
        `could not store STARTED on ${this.backend.kind}: ${String(error)}; the task runs anyway`,
        taskLogContext(request),
      );
    }
  }

  /** Stores REVOKED (expired, revoked, terminated), Celery's TaskRevokedError as result. */
  async storeRevoked(
    request: TaskRequest,
    reason: string,
    queue: string | null = null,
  ): Promise<boolean> {
    const info = {
      exc_type: 'TaskRevokedError',
      exc_message: [reason],
      exc_module: 'celery.exceptions',
    };
    const stored = await this.store(
      request,
      resultMeta(request.id, 'REVOKED', info),
      queue,
    );
    if (stored) await this.followEnd(request, 'REVOKED', info);
    return stored;
  }

  /**
   * Stores the FAILURE of a task that was refused before it ran (NotRegistered...) and
   * does what a failure does to its workflow (chord part, chain, errbacks).
   */
  async storeRefused(
    request: TaskRequest,
    meta: ResultMeta,
    queue: string | null = null,
  ): Promise<boolean> {
    const stored = await this.store(request, meta, queue);
    if (stored && meta.status === 'FAILURE')
      await this.followFailure(request, readExceptionInfo(meta.result), null);
    return stored;
  }

  /** A chord part's end is counted; a failure of the counter is logged, the task is done. */
  private async followEnd(
    request: TaskRequest,
    status: string,
    result: unknown,
  ): Promise<void> {
    if (!CanvasFollower.carriesCanvas(request)) return;
    try {
      await this.canvas.partEnded(request, status, result);
    } catch (error) {
      Logger.error(
        `could not count chord part ${request.group}: ${String(error)}`,
        taskLogContext(request),
      );
    }
  }

  private async followFailure(
    request: TaskRequest,
    info: ExceptionInfo,
    traceback: string | null,
  ): Promise<void> {
    if (!CanvasFollower.carriesCanvas(request)) return;
    await this.followEnd(request, 'FAILURE', info);
    try {
      await this.canvas.afterFailure(request, info, traceback);
    } catch (error) {
      Logger.error(
        `could not propagate the failure to its workflow: ${String(error)}`,
        taskLogContext(request),
      );
    }
  }

  /**
   * Stores a state; false when the backend failed (the caller gives the delivery back).
   * With ignoreResult only failures and revokes are stored.
   */
  async store(
    request: TaskRequest,
    meta: ResultMeta,
    queue: string | null = null,
  ): Promise<boolean> {
    if (
      request.ignoreResult &&
      (meta.status === 'SUCCESS' || meta.status === 'RETRY')
    )
      return true;
    const stored = inCeleryForm(
      meta,
      this.dateDoneForm,
      request,
      this.options.extendedResults
        ? { worker: this.nodeName, queue }
        : undefined,
    );
    try {
      await this.backend.store(stored, {
        replyTo: request.replyTo,
        expiresIn: this.options.resultExpiresSeconds,
      });
      return true;
    } catch (error) {
      if (error instanceof MessageTooLargeError && meta.status !== 'FAILURE') {
        // Given back, it would run again and be as large: its caller gets why instead.
        Logger.error(
          `${error.message}; stored as FAILURE`,
          taskLogContext(request),
        );
        return this.store(
          request,
          resultMeta(request.id, 'FAILURE', errorToExceptionInfo(error)),
          queue,
        );
      }
      Logger.error(
        `could not store ${meta.status} on ${this.backend.kind}: ` +
          `${String(error)}; the message goes back to the queue`,
        taskLogContext(request),
      );
      return false;
    }
  }

  /** RETRY is stored before the retry is sent, so it never overwrites the retry's own state. */
  private async retry(
    error: unknown,
    eta: Date,
    context: FinishContext,
  ): Promise<Settlement> {
    const { request } = context;
    const info = errorToExceptionInfo(error);
    const inMs = Math.max(0, eta.getTime() - Date.now());
    Logger.log(
      `retry ${request.retries + 1} in ${inMs} ms: ${info.exc_type}: ${info.exc_message.join(', ')}`,
      taskLogContext(request),
    );
    await this.store(
      request,
      resultMeta(request.id, 'RETRY', info, {
        parentId: request.parentId,
        groupId: request.group,
        traceback: traceOf(error),
      }),
      context.queue,
    );
    if (this.hooks.listens('retry', request.name)) {
      await this.hooks.emit('retry', { ...eventOf(context), error, eta });
    }
    try {
      await context.publishRetry(
        context.queue,
        retryMessage(request, eta, this.options.origin),
      );
    } catch (publishError) {
      Logger.error(
        `could not publish the retry: ${String(publishError)}; ` +
          (context.task.policy.acksLate
            ? 'the message goes back to the queue'
            : 'it was acked before it ran (acksLate: false), so it is lost'),
        taskLogContext(request),
      );
      return REQUEUE;
    }
    return ACK;
  }
}

function eventOf({ request, queue }: FinishContext): TaskEvent {
  return {
    taskId: request.id,
    name: request.name,
    args: request.args,
    kwargs: request.kwargs,
    retries: request.retries,
    queue,
  };
}

function traceOf(error: unknown): string | null {
  return error instanceof Error ? (error.stack ?? null) : null;
}
