import { Inject, Injectable, Optional, Type } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { toMilliseconds } from '../common/duration';
import { getTaskMetadata } from '../decorators/task.decorator';
import { getTaskParameterMetadata } from '../decorators/task-arguments.decorator';
import { TaskOptions } from '../options/task-options';
import {
  CONTROL_BUS,
  INLINE_RUNNER,
  RESOLVED_OPTIONS,
  RESULT_BACKEND,
  REVOCATION_STORE,
  TRANSPORT,
} from '../options/tokens';
import { ResolvedOptions } from '../options/resolve-options';
import {
  buildTaskMessage,
  compressionHeader,
  guardArgumentsForSend,
  parseCeleryIso,
  TaskEmbed,
  TaskRequest,
} from '../protocol';
import { TaskLifecycle } from '../lifecycle/task-lifecycle.service';
import { TaskRegistry } from '../registry/task.registry';
import { bindArguments } from '../registry/bind-arguments';
import { priorityOf } from '../registry/task-policy';
import { ResultBackend } from '../results/result-backend';
import { RevocationStore } from '../results/revocation-store';
import { ControlBus } from '../transports/control-bus';
import { Transport } from '../transports/transport';
import { AsyncResult } from './async-result';
import { CanvasApplier } from './canvas-applier';
import { GroupResult } from './group-result';
import {
  ResultFactory,
  Signature,
  SignatureApplier,
  SignatureOptions,
  celeryOptionsOf,
} from './signature';
import { callOptionsOf } from './call-options';
import { InlineRunner } from './inline-runner';
import { NotRegisteredError } from './errors';
import { revokeTasks } from './revoke';
import { Router, compileRoutes } from './task-routes';
import { RevokeOptions, SendOptions } from './send-options';
import {
  MethodNames,
  PartialArgs,
  TaskArgs,
  TaskHandle,
  TaskResult,
} from './task-handle';
import {
  MappedTaskArgs,
  MappedTaskName,
  MappedTaskResult,
  UnmappedTaskName,
} from './task-map';

/**
 * Sends tasks: by name (`send('videos.transcode', [id])`) for a producer without the
 * task's code, or by reference (`task(MathService, 'add').delay(2, 3)`), typed.
 * Arguments are checked to be plain data before anything is sent.
 */
@Injectable()
export class TaskClient {
  private readonly revoker = (taskId: string, options: RevokeOptions) =>
    this.revoke(taskId, options);
  private readonly route: Router;
  private readonly canvas: CanvasApplier;
  private readonly results: ResultFactory = {
    result: (id) => new AsyncResult(id, this.backend, false, this.revoker),
    group: (id, results) => new GroupResult(id, results, this.backend),
  };
  private readonly applySignature: SignatureApplier = async (dict, args) => ({
    applied: await this.canvas.apply(dict, args),
    results: this.results,
  });

  constructor(
    @Inject(TRANSPORT) private readonly transport: Transport,
    @Inject(RESULT_BACKEND) private readonly backend: ResultBackend,
    @Inject(RESOLVED_OPTIONS) private readonly options: ResolvedOptions,
    private readonly registry: TaskRegistry,
    @Inject(CONTROL_BUS) private readonly controlBus: ControlBus | null,
    @Inject(REVOCATION_STORE)
    private readonly revocations: RevocationStore | null,
    private readonly lifecycle: TaskLifecycle,
    @Optional()
    @Inject(INLINE_RUNNER)
    private readonly eager?: InlineRunner,
  ) {
    this.route = compileRoutes(options.routes);
    this.canvas = new CanvasApplier(
      (name, args, sendOptions, links) =>
        this.sendLinked(name, args, sendOptions, links),
      backend,
    );
  }

  /**
   * A signature of the @Task method `method` of `type` (Celery's `.s()`), typed: in a
   * `chain`, the previous step's result must fit its first parameter. `args` are
   * partial arguments, typed as the method's last parameters: what is applied (a
   * chain's result, an errback's `(request, exc, traceback)`) goes before them.
   */
  signature<T, K extends MethodNames<T>>(
    type: Type<T>,
    method: K,
    args?: PartialArgs<TaskArgs<T, K>>,
    options?: SignatureOptions,
  ): Signature<
    TaskArgs<T, K>[0],
    TaskResult<T, K>,
    AsyncResult<TaskResult<T, K>>,
    TaskArgs<T, K>
  >;
  /** A signature by task name (a task of another language), unchecked; `R` is the result you expect. */
  signature<R = any>(
    name: string,
    args?: readonly unknown[],
    options?: SignatureOptions,
  ): Signature<unknown, R>;
  signature(typeOrName: string | Type<unknown>, ...rest: unknown[]): Signature {
    let name: string;
    if (typeof typeOrName === 'string') name = typeOrName;
    else {
      const method = rest.shift() as string;
      const metadata = getTaskMetadata(
        (typeOrName.prototype as Record<string, unknown>)[method],
      );
      if (!metadata)
        throw new NotRegisteredError(
          `${typeOrName.name}.${method}`,
          `: the method has no @Task() decorator`,
        );
      name = metadata.name;
    }
    if (name === '')
      throw new TypeError('task name must be a non-empty string');
    const [args = [], options = {}] = rest as [
      readonly unknown[] | undefined,
      SignatureOptions | undefined,
    ];
    const plain = guardArgumentsForSend(args, options.kwargs ?? {});
    const { kwargs: _kwargs, ...execution } = options;
    return new Signature<unknown, unknown>(
      {
        task: name,
        args: plain.args,
        kwargs: plain.kwargs,
        options: celeryOptionsOf(execution),
        subtask_type: null,
        immutable: false,
      },
      this.applySignature,
    );
  }

  /** A group saved with `GroupResult.save()` (by Celeriac or Python), or undefined. */
  async restoreGroup(groupId: string): Promise<GroupResult | undefined> {
    const tuple = await this.backend.restoreGroup?.(groupId);
    if (!tuple) return undefined;
    const [, members] = tuple as [unknown, unknown[] | null];
    const results = (members ?? []).map((member) => {
      const [[id]] = member as [[string, unknown], unknown];
      return this.results.result(id);
    });
    return new GroupResult(groupId, results, this.backend);
  }

  /**
   * Sends a task named in `TaskMap` (which your app augments): the arguments must fit
   * its signature, and the result has its type.
   */
  send<N extends MappedTaskName>(
    name: N,
    args: MappedTaskArgs<N>,
    options?: SendOptions,
  ): Promise<AsyncResult<MappedTaskResult<N>>>;
  /**
   * Sends a task by name. `R` is the result type you expect (unchecked). A name that
   * `TaskMap` holds must be sent with the map's types instead, without `R`.
   */
  send<R = unknown, N extends string = string>(
    name: UnmappedTaskName<N>,
    args?: readonly unknown[],
    options?: SendOptions,
  ): Promise<AsyncResult<R>>;
  send(
    name: string,
    args: readonly unknown[] = [],
    options: SendOptions = {},
  ): Promise<AsyncResult<unknown>> {
    return this.sendLinked(name, args, options, NO_LINKS);
  }

  /**
   * Sends a task with its place in a workflow: what follows it (`embed`), its parent
   * and root, its group and chord. Canvas and the worker following one use it; an
   * application sends workflows with `chain`, `group` and `chord` instead.
   */
  async sendLinked<R = unknown>(
    name: string,
    args: readonly unknown[],
    options: SendOptions,
    links: MessageLinks,
  ): Promise<AsyncResult<R>> {
    if (typeof name !== 'string' || name === '')
      throw new TypeError('task name must be a non-empty string');
    // The message is serialized below, before any await: no copy of plain data needed.
    const plain = guardArgumentsForSend(args, options.kwargs ?? {});
    const registered = this.registry.get(name);
    // A task this app knows: arguments that do not fit fail here, not on a worker
    // (Celery's apply_async checks them the same way).
    if (registered)
      bindArguments(registered.signature, plain.args, plain.kwargs);
    const defaults = this.defaultsFor(name);
    const id = options.taskId ?? randomUUID();
    const ignoreResult = options.ignoreResult ?? defaults.ignoreResult ?? false;
    const now = new Date();
    const call = callOptionsOf(name, options);
    const message = buildTaskMessage({
      name,
      id,
      args: plain.args,
      kwargs: plain.kwargs,
      origin: this.options.origin,
      eta: etaOf(options, now),
      expires: expiresOf(options.expires ?? defaults.expires, now),
      priority: priorityOf(
        `call of task "${name}"`,
        options.priority ?? defaults.priority,
      ),
      ignoreResult,
      replyTo: links.replyTo ?? this.backend.replyTo ?? this.options.clientId,
      timeLimit: call.timeLimit,
      headers: withCompression(
        call.headers,
        options.compression ?? defaults.compression,
      ),
      embed: links.embed,
      parentId: links.parentId,
      rootId: links.rootId ?? undefined,
      group: links.group,
      groupIndex: links.groupIndex,
      now,
    });
    if (this.options.eager) {
      if (!this.eager)
        throw new Error(
          'eager mode needs the worker executor, which is not provided',
        );
      await this.eager.run(message);
    } else {
      // rpc://: the reply queue must exist before a worker can answer.
      if (!ignoreResult && this.backend.connect) await this.backend.connect();
      const queue =
        options.queue ??
        registered?.options.queue ??
        this.route(name, plain.args, plain.kwargs) ??
        this.options.taskDefaults.queue ??
        this.options.defaultQueue;
      this.lifecycle.beforeSend(message, queue, links.sentBy);
      try {
        await this.transport.publish(queue, message);
      } catch (error) {
        this.lifecycle.sendFailed(message, queue, error);
        throw error;
      }
      this.lifecycle.sent(message, queue);
    }
    return new AsyncResult<R>(id, this.backend, ignoreResult, this.revoker);
  }

  /** A typed handle on the @Task method `method` of `type`. */
  task<T, K extends MethodNames<T>>(
    type: Type<T>,
    method: K,
  ): TaskHandle<TaskArgs<T, K>, TaskResult<T, K>> {
    const metadata = getTaskMetadata(
      (type.prototype as Record<string, unknown>)[method],
    );
    if (!metadata) {
      throw new NotRegisteredError(
        `${type.name}.${method}`,
        `: the method has no @Task() decorator`,
      );
    }
    const name = metadata.name;
    const { kwargsIndex } = getTaskParameterMetadata(
      type.prototype as object,
      method,
    );
    const send = (args: unknown[], options: SendOptions = {}) =>
      kwargsIndex === null
        ? this.send<TaskResult<T, K>>(name, args, options)
        : this.send<TaskResult<T, K>>(
            name,
            ...asPythonSends(name, args, options, kwargsIndex),
          );
    return {
      name,
      delay: (...args) => send(args),
      applyAsync: (args, options) => send(args, options),
    };
  }

  /** A handle on a task sent earlier, by its id. */
  result<R = unknown>(taskId: string): AsyncResult<R> {
    return new AsyncResult<R>(taskId, this.backend, false, this.revoker);
  }

  /**
   * Revokes tasks by id (Celery's `app.control.revoke`): every worker skips them when
   * they come (storing REVOKED), including workers started later within the module's
   * `revokeExpires`; with `terminate`, a worker running one aborts its signal and frees
   * its slot. A task that already finished is not affected.
   */
  async revoke(
    taskIds: string | readonly string[],
    options: RevokeOptions = {},
  ): Promise<void> {
    await revokeTasks(
      this.controlBus,
      this.revocations,
      this.transport.kind,
      typeof taskIds === 'string' ? [taskIds] : taskIds,
      options,
      this.options.revokeExpiresSeconds,
    );
  }

  /** Task options that apply to a call of `name`: the task's own over the module's. */
  private defaultsFor(name: string): Omit<TaskOptions, 'name'> {
    return {
      ...this.options.taskDefaults,
      ...this.registry.get(name)?.options,
    };
  }
}

/** The call's headers with kombu's `compression` header when it compresses. */
function withCompression(
  headers: Record<string, unknown> | undefined,
  compression: string | undefined,
): Record<string, unknown> | undefined {
  if (compression === undefined) return headers;
  return { ...headers, compression: compressionHeader(compression) };
}

const NO_LINKS: MessageLinks = Object.freeze({});

/** Where a message sits in a workflow (see TaskClient.sendLinked). */
export interface MessageLinks {
  embed?: TaskEmbed | null;
  parentId?: string | null;
  rootId?: string | null;
  group?: string | null;
  groupIndex?: number | null;
  /** Where the result goes on `rpc://`: the reply queue of whoever sent the workflow. */
  replyTo?: string | null;
  /** The task whose run sends it (a canvas step a worker sends): tracing's parent. */
  sentBy?: TaskRequest;
}

/**
 * A call by reference of a task with a `@Kwargs()` parameter, sent as Python would
 * send it: that argument travels as the kwargs (with the call's own `kwargs` over it),
 * not as a positional argument, which the worker would refuse.
 */
function asPythonSends(
  name: string,
  args: unknown[],
  options: SendOptions,
  kwargsIndex: number,
): [unknown[], SendOptions] {
  if (args.length <= kwargsIndex) return [args, options];
  const given = args[kwargsIndex];
  const positional = args.filter((_, index) => index !== kwargsIndex);
  if (given === undefined || given === null) return [positional, options];
  if (typeof given !== 'object' || Array.isArray(given)) {
    throw new TypeError(
      `${name}(): the @Kwargs() argument must be an object of keyword arguments, got ${JSON.stringify(given)}`,
    );
  }
  return [positional, { ...options, kwargs: { ...given, ...options.kwargs } }];
}

function etaOf(options: SendOptions, now: Date): Date | null {
  if (options.eta !== undefined && options.countdown !== undefined) {
    throw new TypeError('give either eta or countdown, not both');
  }
  if (options.countdown !== undefined) {
    const ms = toMilliseconds(options.countdown, 's', 'countdown');
    if (ms < 0)
      throw new RangeError(
        `countdown must not be negative, got ${String(options.countdown)}`,
      );
    return ms === 0 ? null : new Date(now.getTime() + ms);
  }
  if (options.eta === undefined) return null;
  const eta =
    options.eta instanceof Date ? options.eta : parseCeleryIso(options.eta);
  if (!eta || Number.isNaN(eta.getTime()))
    throw new RangeError(`eta ${String(options.eta)} is not a valid time`);
  return eta;
}

function expiresOf(expires: SendOptions['expires'], now: Date): Date | null {
  if (expires === undefined) return null;
  if (expires instanceof Date) return expires;
  return new Date(now.getTime() + toMilliseconds(expires, 's', 'expires'));
}
