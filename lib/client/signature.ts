import { Duration, toMilliseconds } from '../common/duration';
import { SignatureDict } from '../protocol';
import { AsyncResult } from './async-result';
import type { ErrbackRequest } from './errback-types';
import type { Applied } from './canvas-applier';
import { GroupResult } from './group-result';

/** Execution options a signature carries (Celery's `options`), used when it is applied. */
export interface SignatureOptions {
  /** Queue to send it to. Default: as TaskClient.send routes it. */
  queue?: string;
  /** Run no sooner than this many seconds after it is sent (or '500ms', '5m'). */
  countdown?: Duration;
  /** Not run after this many seconds from when it is sent (or '10m'). */
  expires?: Duration;
  /** 0..9; see TaskOptions.priority. */
  priority?: number;
  /** Its task id; a new uuid by default. */
  taskId?: string;
  /** Store no result. */
  ignoreResult?: boolean;
  /** Keyword arguments (for tasks written in Python). */
  kwargs?: Record<string, unknown>;
}

/** Applies a signature's dict form and says what it sent (the client does it). */
export type SignatureApplier = (
  signature: SignatureDict,
  args: unknown[],
) => Promise<{ applied: Applied; results: ResultFactory }>;

/** Builds result handles for what was sent. */
export interface ResultFactory {
  result(id: string): AsyncResult;
  group(id: string, results: AsyncResult[]): GroupResult;
}

/**
 * A task call to be made later, in Celery's signature form: a task name, partial
 * arguments, options, and what follows it (`link`, `linkError`). `In` is what a chain
 * passes it as first argument (the previous step's result), `R` what it returns; a
 * signature by name is `Signature<any, any>`, unchecked. Make one with
 * `client.signature(...)`, combine with `chain`, `group`, `chord`, send with
 * `applyAsync()` / `delay()`. Signatures are immutable values: each method returns a copy.
 */
export class Signature<
  In = unknown,
  R = any,
  Res extends AsyncResult<R> | GroupResult = AsyncResult<R>,
  Args extends readonly unknown[] = readonly unknown[],
> {
  /** Phantom types: `In` is contravariant, `R` and `Args` (the task's parameters) covariant. */
  declare readonly __in?: (input: In) => void;
  declare readonly __result?: () => R;
  declare readonly __args?: () => Args;

  constructor(
    /** The dict form sent in messages (`task`, `args`, `kwargs`, `options`, `subtask_type`, `immutable`). */
    readonly dict: SignatureDict,
    private readonly applier: SignatureApplier | null,
  ) {}

  /** The task name (`celery.chain`, `celery.group`, `celery.chord` for canvas). */
  get name(): string {
    return this.dict.task;
  }

  /** True when it ignores the previous step's result (Celery's `.si()`). */
  get immutable(): boolean {
    return this.dict.immutable;
  }

  /** An immutable copy (Celery's `.si()`): a chain does not pass it the previous result. */
  si(): Signature<unknown, R, Res, Args> {
    return this.copy({ immutable: true });
  }

  /** A copy with these options over its own. */
  set(options: SignatureOptions): Signature<In, R, Res, Args> {
    const { kwargs, ...rest } = options;
    return this.copy({
      kwargs: kwargs ? { ...this.dict.kwargs, ...kwargs } : this.dict.kwargs,
      options: { ...this.dict.options, ...celeryOptionsOf(rest) },
    });
  }

  /** A copy that sends `callback` with its result as first argument when it succeeds. */
  link(callback: Signature<R, unknown>): Signature<In, R, Res, Args> {
    return this.addTo('link', callback);
  }

  /**
   * A copy that runs `errback` when it fails, with Celery's arguments: a new-style one
   * (taking `(request, exc, traceback)`) is called by the worker, any other is sent
   * with the failed task's id.
   */
  linkError(
    errback:
      | Signature<string, unknown, any, any>
      | Signature<ErrbackRequest, unknown, any, any>,
  ): Signature<In, R, Res, Args> {
    return this.addTo('link_error', errback);
  }

  /**
   * Celery's `task.map(items)` (`celery.map`): one message; a worker calls the task in
   * its own process for each item, in order, and the result is the list of results.
   * The signature's partial arguments are not used (as in Celery); its queue is.
   */
  map(items: readonly In[]): Signature<unknown, R[]> {
    return this.builtin('celery.map', 'xmap', { it: [...items] });
  }

  /** Celery's `task.starmap(items)` (`celery.starmap`): as `map`, each item spread as the arguments. */
  starmap(items: readonly Args[]): Signature<unknown, R[]> {
    return this.builtin('celery.starmap', 'xstarmap', { it: [...items] });
  }

  /**
   * Celery's `task.chunks(items, n)`: the items cut into parts of `n`, each part sent as
   * one `celery.starmap`, all parts as a group. `applyAsync()` resolves with the group's
   * result: one list of results per part.
   */
  chunks(
    items: readonly Args[],
    n: number,
  ): Signature<unknown, R[][], GroupResult<R[]>> {
    if (!Number.isInteger(n) || n < 1)
      throw new RangeError(`chunks: n must be a positive integer, got ${n}`);
    return this.builtin('celery.chunks', 'chunks', { it: [...items], n });
  }

  /** Sends it (Celery's `delay`); `args` go before its partial arguments. */
  delay(...args: unknown[]): Promise<Res> {
    return this.applyAsync(args);
  }

  /**
   * Sends it (Celery's `apply_async`). Resolves with the AsyncResult of its result:
   * for a chain, of its last step (`parent` links to the steps before); for a chord,
   * of its body (`parent` is the header's GroupResult).
   */
  async applyAsync(args: unknown[] = []): Promise<Res> {
    const { applied, results } = await this.apply(args);
    return resultOf(applied, results) as Res;
  }

  /** @internal Sends it, for group(): the tree of what was sent. */
  async apply(
    args: unknown[],
  ): Promise<{ applied: Applied; results: ResultFactory }> {
    if (!this.applier)
      throw new Error(
        'this signature has no client: make it with client.signature()',
      );
    return this.applier(this.dict, args);
  }

  /** @internal The client that applies it. */
  get applierOf(): SignatureApplier | null {
    return this.applier;
  }

  toJSON(): SignatureDict {
    return this.dict;
  }

  /** The dict form of Celery's `xmap`, `xstarmap`, `chunks`: this task and the items in kwargs. */
  private builtin<S extends Signature<any, any, any>>(
    task: string,
    subtaskType: string,
    kwargs: Record<string, unknown>,
  ): S {
    const { queue, priority } = this.dict.options;
    const options: Record<string, unknown> = {};
    if (queue !== undefined) options.queue = queue;
    if (priority !== undefined) options.priority = priority;
    return new Signature(
      {
        task,
        args: [],
        kwargs: { task: this.dict, ...kwargs },
        options,
        subtask_type: subtaskType,
        immutable: true,
      },
      this.applier,
    ) as S;
  }

  private addTo(
    key: 'link' | 'link_error',
    next: { readonly dict: SignatureDict },
  ): Signature<In, R, Res, Args> {
    const current = this.dict.options[key];
    const list: unknown[] = Array.isArray(current)
      ? (current as unknown[])
      : current
        ? [current]
        : [];
    return this.copy({
      options: { ...this.dict.options, [key]: [...list, next.dict] },
    });
  }

  private copy<I = In>(
    change: Partial<SignatureDict>,
  ): Signature<I, R, Res, Args> {
    return new Signature<I, R, Res, Args>(
      { ...this.dict, ...change },
      this.applier,
    );
  }
}

/** The AsyncResult (or GroupResult) of what was sent, with its parents. */
export function resultOf(
  applied: Applied,
  results: ResultFactory,
): AsyncResult | GroupResult {
  const result =
    applied.kind === 'group'
      ? results.group(
          applied.id,
          applied.members.map(
            (member) => resultOf(member, results) as AsyncResult,
          ),
        )
      : results.result(applied.id);
  if (applied.parent) result.parent = resultOf(applied.parent, results);
  return result;
}

/** SignatureOptions in Celery's option names. */
export function celeryOptionsOf(
  options: Omit<SignatureOptions, 'kwargs'>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (options.queue !== undefined) out.queue = options.queue;
  if (options.countdown !== undefined)
    out.countdown = toMilliseconds(options.countdown, 's', 'countdown') / 1000;
  if (options.expires !== undefined)
    out.expires = toMilliseconds(options.expires, 's', 'expires') / 1000;
  if (options.priority !== undefined) out.priority = options.priority;
  if (options.taskId !== undefined) out.task_id = options.taskId;
  if (options.ignoreResult !== undefined)
    out.ignore_result = options.ignoreResult;
  return out;
}
