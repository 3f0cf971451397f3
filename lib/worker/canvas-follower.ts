import { Logger } from '@nestjs/common';
import {
  ExceptionInfo,
  PROPAGATE_STATES,
  SignatureDict,
  TaskRequest,
  chordErrorInfo,
  readExceptionInfo,
  readSignature,
  readSignatures,
  resultMeta,
} from '../protocol';
import { CanvasApplier } from '../client/canvas-applier';
import {
  ChordPartResult,
  ResultBackend,
  StoreContext,
} from '../results/result-backend';
import { taskLogContext } from '../context/task-context.service';
import { RegisteredTask } from '../registry/registered-task';
import { callErrback, errbackRequestOf, newStyleErrback } from './errback-call';

/**
 * What a worker does after a task of a workflow ran, as Celery's tracer and result
 * backend do:
 * - on success, before the result is stored: the `link` callbacks get the result as
 *   first argument, then the next step of the chain (the last element of the embed's
 *   `chain`) gets it with the rest of the chain; both with this task as parent;
 * - after any end, a chord header part is counted; the last one calls the body with the
 *   results in header order, or fails the body with ChordError when a part failed;
 * - on failure: the steps of the chain that will not run read the same FAILURE, and
 *   the `link_error` errbacks run: a new-style one (a task of this worker taking
 *   `(request, exc, traceback)`) is called here, any other is sent with the failed
 *   task's id, as Celery's `_call_task_errbacks` does.
 */
export class CanvasFollower {
  constructor(
    private readonly applier: () => CanvasApplier,
    private readonly backend: ResultBackend,
    private readonly storeContext: (request: TaskRequest) => StoreContext,
    /** This process's tasks: a new-style errback among them is called here. */
    private readonly find: (name: string) => RegisteredTask | undefined,
  ) {}

  /** True when the message carries anything to follow. */
  static carriesCanvas(request: TaskRequest): boolean {
    const embed = request.embed;
    if (!embed) return false;
    return (
      nonEmpty(embed.callbacks) ||
      nonEmpty(embed.errbacks) ||
      nonEmpty(embed.chain) ||
      (embed.chord !== null && embed.chord !== undefined)
    );
  }

  /**
   * Sends the callbacks and the next chain step; resolves with the result tuples of
   * what it sent (the stored meta's `children`). Throws when one cannot be sent: the
   * task then fails, as in Celery.
   */
  async afterSuccess(request: TaskRequest, value: unknown): Promise<unknown[]> {
    const embed = request.embed;
    const children: unknown[] = [];
    if (!embed) return children;
    const place = {
      parentId: request.id,
      rootId: request.rootId,
      sentBy: request,
    };
    for (const callback of readSignatures(embed.callbacks, 'callbacks')) {
      const applied = await this.applier().apply(callback, [value], place);
      children.push([[applied.id, null], null]);
    }
    const chain = readSignatures(embed.chain, 'chain');
    if (chain.length > 0) {
      const next = chain[chain.length - 1];
      const applied = await this.applier().apply(next, [value], {
        ...place,
        chain: chain.slice(0, -1),
      });
      children.push([[applied.id, null], null]);
    }
    return children;
  }

  /** After SUCCESS, FAILURE or REVOKED was stored: counts a chord part. */
  async partEnded(
    request: TaskRequest,
    status: string,
    result: unknown,
  ): Promise<void> {
    const chord = request.embed?.chord;
    if (chord === null || chord === undefined || !request.group) return;
    // Without a counter, celery.chord_unlock polls the header (Celery's base backend).
    if (!this.backend.addChordPart) {
      if (this.backend.refusesChords)
        Logger.error(
          `is a chord part, but the ${this.backend.kind} result backend cannot run chords: the chord body will not run`,
          taskLogContext(request),
        );
      return;
    }
    const parts = await this.backend.addChordPart({
      groupId: request.group,
      taskId: request.id,
      groupIndex: request.groupIndex,
      status,
      result,
    });
    if (parts)
      await this.completeChord(
        request,
        readSignature(chord, 'chord body'),
        parts,
      );
  }

  /**
   * Every header part ended: the body is called with their results in order, or, when
   * one failed, reads FAILURE ChordError naming the first that did (its errbacks run).
   * `request` is the task that saw the chord complete: the body's parent.
   */
  async completeChord(
    request: TaskRequest,
    body: SignatureDict,
    parts: ChordPartResult[],
  ): Promise<void> {
    const failed = parts.find((part) => PROPAGATE_STATES.has(part.status));
    if (failed) {
      await this.failChord(
        request,
        body,
        chordErrorInfo(failed.taskId, readExceptionInfo(failed.result)),
      );
      return;
    }
    await this.applier().apply(body, [parts.map((part) => part.result)], {
      parentId: request.id,
      rootId: request.rootId,
      sentBy: request,
    });
  }

  /** After FAILURE was stored: the chain's later steps fail too, errbacks are sent. */
  async afterFailure(
    request: TaskRequest,
    info: ExceptionInfo,
    traceback: string | null,
  ): Promise<void> {
    const embed = request.embed;
    if (!embed) return;
    for (const step of readSignatures(embed.chain, 'chain')) {
      const stepId = step.options.task_id;
      if (typeof stepId !== 'string') continue;
      await this.backend.store(
        resultMeta(stepId, 'FAILURE', info, { traceback }),
        this.storeContext(request),
      );
      await this.stepCountedInChord(request, step, stepId, info);
    }
    await this.sendErrbacks(
      request,
      readSignatures(embed.errbacks, 'errbacks'),
      request.id,
      info,
      traceback,
    );
  }

  /**
   * A chain step that will not run but ends a chord header part (a chain in a header):
   * counted as failed, as Celery's mark_as_failure does, so the chord does not stall.
   */
  private async stepCountedInChord(
    request: TaskRequest,
    step: SignatureDict,
    stepId: string,
    info: ExceptionInfo,
  ): Promise<void> {
    const { chord, group_id: groupId, group_index: groupIndex } = step.options;
    if (!chord || typeof groupId !== 'string' || !this.backend.addChordPart)
      return;
    const parts = await this.backend.addChordPart({
      groupId,
      taskId: stepId,
      groupIndex: typeof groupIndex === 'number' ? groupIndex : null,
      status: 'FAILURE',
      result: info,
    });
    if (parts)
      await this.completeChord(
        request,
        readSignature(chord, 'chord body'),
        parts,
      );
  }

  /** Celery's chord_error_from_stack: the body reads FAILURE ChordError, its errbacks run. */
  private async failChord(
    request: TaskRequest,
    body: SignatureDict,
    error: ExceptionInfo,
  ): Promise<void> {
    const bodyId = lastStepId(body);
    Logger.warn(
      `chord ${request.group} failed: ${error.exc_message.join(', ')}`,
      taskLogContext(request),
    );
    if (bodyId)
      await this.backend.store(
        resultMeta(bodyId, 'FAILURE', error),
        this.storeContext(request),
      );
    await this.sendErrbacks(
      request,
      readSignatures(body.options.link_error, 'chord body link_error'),
      bodyId ?? request.id,
      error,
      null,
    );
  }

  /** Celery's `_call_task_errbacks`: new-style ones called here, the others sent. */
  private async sendErrbacks(
    request: TaskRequest,
    errbacks: SignatureDict[],
    failedId: string,
    info: ExceptionInfo,
    traceback: string | null,
  ): Promise<void> {
    for (const errback of errbacks) {
      const local = newStyleErrback(errback, this.find);
      if (local) {
        try {
          await callErrback(local, errback, {
            request: errbackRequestOf(request, failedId),
            info,
            traceback,
          });
        } catch (error) {
          Logger.error(
            `errback ${errback.task} raised: ${String(error)}`,
            taskLogContext(request),
          );
        }
        continue;
      }
      try {
        await this.applier().apply(errback, [failedId], {
          parentId: failedId,
          rootId: request.rootId,
          sentBy: request,
        });
      } catch (error) {
        Logger.error(
          `could not send errback ${errback.task}: ${String(error)}`,
          taskLogContext(request),
        );
      }
    }
  }
}

function nonEmpty(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0;
}

/** The id whose result a chord body's caller waits on (the last step of a chain body). */
function lastStepId(body: SignatureDict): string | null {
  if (body.subtask_type === 'chain') {
    const steps = readSignatures(body.kwargs.tasks, 'chain tasks');
    return steps.length > 0 ? lastStepId(steps[steps.length - 1]) : null;
  }
  if (body.subtask_type === 'chord')
    return lastStepId(readSignature(body.kwargs.body, 'chord body'));
  const id = body.options.task_id;
  return typeof id === 'string' ? id : null;
}
