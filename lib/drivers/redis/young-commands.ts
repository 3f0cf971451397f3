import { Command } from 'ioredis';

/** What `initPromise` reads and writes on an ioredis 5 Command (built/Command.js). */
interface CommandInternals {
  name: string;
  args: unknown[];
  callback?: unknown;
  errorStack?: unknown;
  transformed: boolean;
  promise: Promise<unknown>;
  resolve: (value: unknown) => unknown;
  reject: (error: unknown) => void;
  stringifyArguments(): void;
  _convertValue(resolve: (value: unknown) => void): (value: unknown) => unknown;
  _clearTimers(): void;
  initPromise: (this: CommandInternals) => void;
}

interface CommandClass {
  _transformer?: {
    argument: Record<string, ((args: unknown[]) => unknown[]) | undefined>;
  };
  prototype: CommandInternals;
}

/**
 * ioredis's `initPromise` as 5.9 to 5.11 ship it, whitespace folded: the replacement
 * below is this code, and is put in place only over this code (6.0 adds `isSettled`).
 */
const KNOWN_INIT_PROMISE = [
  'initPromise() { const promise = new Promise((resolve, reject) => {',
  'if (!this.transformed) { this.transformed = true;',
  'const transformer = Command._transformer.argument[this.name];',
  'if (transformer) { this.args = transformer(this.args); }',
  'this.stringifyArguments(); }',
  'this.resolve = this._convertValue(resolve);',
  'this.reject = (err) => { this._clearTimers();',
  'if (this.errorStack) {',
  'reject((0, utils_1.optimizeErrorStack)(err, this.errorStack.stack, __dirname)); }',
  'else { reject(err); } }; });',
  'this.promise = (0, standard_as_callback_1.default)(promise, this.callback); }',
].join(' ');

/** True when `source` is the `initPromise` this replaces (whitespace aside). */
export function isKnownInitPromise(source: string): boolean {
  return source.replace(/\s+/g, ' ').trim() === KNOWN_INIT_PROMISE;
}

let outcome: boolean | undefined;

/**
 * ioredis's `Command.initPromise` assigns a function literal to a property
 * (`this.reject = (err) => ...`). V8 allocates a function literal assigned to a
 * property straight in the old generation (its parser takes it for a method that
 * lives long), and that closure holds its command through its context. Every command,
 * with its arguments and its reply, then stayed reachable from the old generation until
 * the next full GC: a worker promoted about 350 KB a scavenge of result metas, tags and
 * envelopes, and its RSS grew with every drain (bench/README.md, 2026-12-07).
 *
 * The replacement does the same with the closure in a local constant first, which V8
 * allocates young. Applied once per process, and only over the code it was written
 * against (`isKnownInitPromise`): a command with a callback or with friendly error
 * stacks keeps the original path, and an ioredis whose `initPromise` reads otherwise is
 * left alone. Returns whether the replacement is in place.
 */
export function keepCommandsYoung(): boolean {
  if (outcome !== undefined) return outcome;
  const command = Command as unknown as CommandClass;
  const prototype = command.prototype;
  const original = prototype.initPromise;
  outcome =
    typeof original === 'function' &&
    isKnownInitPromise(String(original)) &&
    command._transformer !== undefined;
  if (!outcome) return false;
  const initPromise = function (this: CommandInternals) {
    if (this.callback || this.errorStack) return original.call(this);
    this.promise = new Promise((resolve, reject) => {
      if (!this.transformed) {
        this.transformed = true;
        const transform = command._transformer!.argument[this.name];
        if (transform) this.args = transform(this.args);
        this.stringifyArguments();
      }
      this.resolve = this._convertValue(resolve);
      const rejectCommand = (error: unknown) => {
        this._clearTimers();
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passed on as ioredis gives it
        reject(error);
      };
      this.reject = rejectCommand;
    });
  };
  prototype.initPromise = initPromise;
  return true;
}
