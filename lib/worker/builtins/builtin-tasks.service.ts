import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ResolvedOptions } from '../../options/resolve-options';
import { RESOLVED_OPTIONS, RESULT_BACKEND } from '../../options/tokens';
import { TaskRequest, readSignature } from '../../protocol';
import { RegisteredTask } from '../../registry/registered-task';
import { resolveTaskPolicy } from '../../registry/task-policy';
import { TaskParameter, signatureOf } from '../../registry/task-signature';
import { TaskRegistry } from '../../registry/task.registry';
import { ResultBackend } from '../../results/result-backend';
import { TaskFinisher } from '../task-finisher.service';
import { idsOfResultTuples, pollChord } from './chord-unlock';
import { mapItems } from './map-tasks';

type BuiltinRun = (request: TaskRequest, args: unknown[]) => Promise<unknown>;

/**
 * Celery's built-in canvas tasks, registered in every app as Celery registers them in
 * every app, so a Python producer's `add.map(...)`, `add.starmap(...)`, `add.chunks(...)`
 * and a chord on a backend without a chord counter run on Nest workers:
 * `celery.map`, `celery.starmap`, `celery.chunks`, `celery.chord_unlock`. A task of the
 * app with one of these names wins. `inspect registered` leaves them out, as Celery's does.
 */
@Injectable()
export class BuiltinTasks implements OnModuleInit {
  constructor(
    private readonly registry: TaskRegistry,
    private readonly finisher: TaskFinisher,
    @Inject(RESULT_BACKEND) private readonly backend: ResultBackend,
    @Inject(RESOLVED_OPTIONS) private readonly options: ResolvedOptions,
  ) {}

  onModuleInit(): void {
    const find = (name: string) => this.registry.get(name);
    this.add('celery.map', ['task', 'it'], (_, [task, it]) =>
      mapItems(find, task, it, false),
    );
    this.add('celery.starmap', ['task', 'it'], (_, [task, it]) =>
      mapItems(find, task, it, true),
    );
    this.add('celery.chunks', ['task', 'it', 'n'], (request, [task, it, n]) =>
      this.chunks(request, task, it, n),
    );
    this.add(
      'celery.chord_unlock',
      ['group_id', 'callback', 'interval?', 'max_retries?', 'result?', '**'],
      (request, [groupId, callback, interval, maxRetries, result]) =>
        this.unlockChord(
          request,
          groupId,
          callback,
          interval,
          maxRetries,
          result,
        ),
    );
  }

  /** Celery's `chunks.apply_chunks`: sends the group of starmaps; its result tuple is the value. */
  private async chunks(
    request: TaskRequest,
    task: unknown,
    it: unknown,
    n: unknown,
  ): Promise<unknown> {
    const applied = await this.finisher.canvasApplier().apply(
      {
        task: 'celery.chunks',
        args: [],
        kwargs: { task, it, n },
        options: {},
        subtask_type: 'chunks',
        immutable: true,
      },
      [],
      { parentId: request.id, rootId: request.rootId, sentBy: request },
    );
    return [
      [applied.id, null],
      applied.members.map((member) => [[member.id, null], null]),
    ];
  }

  private async unlockChord(
    request: TaskRequest,
    groupId: unknown,
    callback: unknown,
    interval: unknown,
    maxRetries: unknown,
    result: unknown,
  ): Promise<null> {
    const body = readSignature(callback, 'celery.chord_unlock callback');
    const parts = await pollChord(this.backend, request, {
      groupId: String(groupId),
      callback: body,
      parts: idsOfResultTuples(result),
      interval: typeof interval === 'number' ? interval : null,
      maxRetries: typeof maxRetries === 'number' ? maxRetries : null,
    });
    await this.finisher.completeChord(request, body, parts);
    return null;
  }

  private add(name: string, parameters: string[], run: BuiltinRun): void {
    if (this.registry.has(name)) return;
    const metadata = { name };
    const unavailable = () =>
      Promise.reject(new Error(`${name} runs with its request only`));
    const task: RegisteredTask = {
      name,
      options: metadata,
      className: 'celery',
      methodName: name,
      run: unavailable,
      invoke: unavailable,
      invokeWithRequest: run,
      signature: signatureOf(name, parameters.map(parameterOf)),
      policy: resolveTaskPolicy(
        metadata,
        this.options.taskDefaults,
        this.options.rateLimitStore !== null,
      ),
    };
    this.registry.register(task);
  }
}

/** `name`, `name?` (optional) or `**` (the keyword arguments left). */
function parameterOf(spec: string): TaskParameter {
  const kwargs = spec === '**';
  return {
    name: kwargs ? 'kwargs' : spec.replace('?', ''),
    optional: spec.endsWith('?') || kwargs,
    rest: false,
    kwargs,
    date: false,
  };
}
