import { LoggerService, LogLevel } from '@nestjs/common';

/** One log entry as JsonLogger writes it, one JSON object per line. */
export interface JsonLogEntry {
  time: string;
  level: LogLevel;
  pid: number;
  context?: string;
  /** From a task's context (`name[id]`): every line of a task carries both. */
  taskName?: string;
  taskId?: string;
  message: unknown;
  stack?: string;
}

/** How JsonLogger writes: which levels, and where. */
export interface JsonLoggerOptions {
  /** Levels written. Default all but verbose. */
  levels?: LogLevel[];
  /** Where each line goes. Default: process.stdout. */
  write?: (line: string) => void;
}

/** `name[id]`, Celeriac's context of a task's lines (taskLogContext). */
const TASK_CONTEXT = /^(.+)\[([^[\]]+)\]$/;

/**
 * A Nest LoggerService writing one JSON object per line (time, level, pid, context,
 * message; taskName and taskId on the lines of a task), for log collectors. Works on
 * Nest 10 and 11. `bootstrapWorker(..., { logFormat: 'json' })` uses it; an HTTP app
 * passes it to `NestFactory.create(AppModule, { logger: new JsonLogger() })`. An object
 * message keeps its fields.
 */
export class JsonLogger implements LoggerService {
  private levels: Set<LogLevel>;
  private readonly write: (line: string) => void;

  constructor(options: JsonLoggerOptions = {}) {
    this.levels = new Set(
      options.levels ?? ['log', 'error', 'warn', 'debug', 'fatal'],
    );
    this.write =
      options.write ?? ((line) => void process.stdout.write(`${line}\n`));
  }

  setLogLevels(levels: LogLevel[]): void {
    this.levels = new Set(levels);
  }

  log(message: unknown, ...params: unknown[]): void {
    this.entry('log', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.entry('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.entry('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.entry('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.entry('verbose', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.entry('fatal', message, params);
  }

  /** Nest's convention: the last string parameter is the context; for errors, a stack before it. */
  private entry(level: LogLevel, message: unknown, params: unknown[]): void {
    if (!this.levels.has(level)) return;
    const rest = [...params];
    const context =
      rest.length > 0 && typeof rest[rest.length - 1] === 'string'
        ? (rest.pop() as string)
        : undefined;
    const entry: JsonLogEntry = {
      time: new Date().toISOString(),
      level,
      pid: process.pid,
      message: message instanceof Error ? message.message : message,
    };
    if (context !== undefined) {
      entry.context = context;
      const task = TASK_CONTEXT.exec(context);
      if (task) [, entry.taskName, entry.taskId] = task;
    }
    const stack =
      message instanceof Error
        ? message.stack
        : rest.find((p): p is string => typeof p === 'string');
    if (stack) entry.stack = stack;
    this.write(JSON.stringify(entry));
  }
}
