import type Redis from 'ioredis';
import { RedisUnavailableError } from './errors';
import { RedisTransportLogger } from './redis-transport-options';

/**
 * Logs an outage once (ioredis reports every failed reconnect) and its end, and calls
 * `onReconnect` each time the connection is ready again.
 */
export function watchConnection(
  client: Redis,
  label: string,
  logger: RedisTransportLogger,
  onReconnect?: () => void,
): void {
  let down = false;
  let everReady = false;
  client.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.warn(`${label}: ${error.message}; reconnecting`);
  });
  client.on('ready', () => {
    if (down) logger.warn(`${label}: reconnected`);
    if (everReady) onReconnect?.();
    down = false;
    everReady = true;
  });
}

/**
 * Lets any number of callers wait for the connection to be ready, with one
 * listener on the client however many wait.
 */
export class ReadyGate {
  private next: Promise<void> | undefined;

  constructor(
    private readonly client: Redis,
    private readonly where: string,
  ) {}

  /** Resolves when the connection is ready; rejects after `waitMs` (nothing was sent). */
  wait(waitMs: number, what: string): Promise<void> {
    const { client } = this;
    if (client.status === 'ready') return Promise.resolve();
    if (client.status === 'end') {
      return Promise.reject(
        new RedisUnavailableError(
          `${what}: the connection to Redis at ${this.where} is closed`,
        ),
      );
    }
    this.next ??= new Promise<void>((resolve) =>
      client.once('ready', () => {
        this.next = undefined;
        resolve();
      }),
    );
    const next = this.next;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new RedisUnavailableError(
            `${what}: Redis at ${this.where} is unavailable (${client.status}) and did not come back within ${waitMs} ms; the message was not stored`,
          ),
        );
      }, waitMs);
      void next.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/** Rejects when `operation` has no answer within `waitMs` (connection lost mid-command). */
export function withDeadline<T>(
  operation: Promise<T>,
  waitMs: number,
  what: string,
  where: string,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(
        new RedisUnavailableError(
          `${what}: no reply from Redis at ${where} within ${waitMs} ms (connection lost mid-command); it may or may not have been stored`,
        ),
      );
    }, waitMs);
    operation.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

interface Watched {
  deadline: number;
  what: string;
  reject: (error: Error) => void;
}

/**
 * `withDeadline` for a stream of operations (every publish), with one timer for all
 * of them rather than one each: a timer per publish cost more than the rest of its
 * JavaScript. An operation is rejected within `waitMs` plus a tenth of it.
 */
export class DeadlineWatch {
  private readonly pending = new Set<Watched>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly waitMs: number,
    private readonly where: string,
  ) {}

  run<T>(operation: Promise<T>, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry: Watched = {
        deadline: Date.now() + this.waitMs,
        what,
        reject,
      };
      this.pending.add(entry);
      this.timer ??= setInterval(
        () => this.expire(),
        Math.max(10, Math.min(1000, this.waitMs / 10)),
      );
      operation.then(
        (value) => {
          this.pending.delete(entry);
          resolve(value);
        },
        (error: unknown) => {
          this.pending.delete(entry);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  private expire(): void {
    const now = Date.now();
    for (const entry of this.pending) {
      if (entry.deadline > now) continue;
      this.pending.delete(entry);
      entry.reject(
        new RedisUnavailableError(
          `${entry.what}: no reply from Redis at ${this.where} within ${this.waitMs} ms (connection lost mid-command); it may or may not have been stored`,
        ),
      );
    }
    if (this.pending.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}
