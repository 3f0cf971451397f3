import type Redis from 'ioredis';
import { RedisUnavailableError } from './errors';
import { RedisTransportLogger } from './redis-transport-options';
import {
  describeRedisError,
  guardConfiguration,
  refusalOf,
} from '../../drivers/redis';

/**
 * Closes the connection for good on a configuration error (logged once, at ERROR: see
 * guardConfiguration), logs an outage once (ioredis reports every failed reconnect) and
 * its end, and calls `onReconnect` each time the connection is ready again.
 */
export function watchConnection(
  client: Redis,
  label: string,
  where: string,
  logger: RedisTransportLogger,
  onReconnect?: () => void,
): void {
  let down = false;
  let everReady = false;
  guardConfiguration(client, where, (refusal) =>
    logger.error(`${label}: ${refusal.message}`),
  );
  client.on('error', (error: Error) => {
    if (down || refusalOf(client)) return;
    down = true;
    logger.warn(`${label}: ${describeRedisError(error)}; reconnecting`);
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
  private next: Promise<boolean> | undefined;

  constructor(
    private readonly client: Redis,
    private readonly where: string,
  ) {}

  /**
   * Resolves when the connection is ready; rejects after `waitMs` (nothing was sent),
   * or at once when the connection is closed or was refused (RedisConfigurationError).
   */
  wait(
    waitMs: number,
    what: string,
    consequence = 'the message was not stored',
  ): Promise<void> {
    const { client } = this;
    if (client.status === 'ready') return Promise.resolve();
    if (client.status === 'end') return Promise.reject(this.closed(what));
    this.next ??= new Promise<boolean>((resolve) => {
      const settle = (ready: boolean) => {
        client.off('ready', onReady);
        client.off('end', onEnd);
        this.next = undefined;
        resolve(ready);
      };
      const onReady = () => settle(true);
      const onEnd = () => settle(false);
      client.once('ready', onReady);
      client.once('end', onEnd);
    });
    const next = this.next;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new RedisUnavailableError(
            `${what}: Redis at ${this.where} is unavailable (${client.status}) and did not come back within ${waitMs} ms; ${consequence}`,
          ),
        );
      }, waitMs);
      void next.then((ready) => {
        clearTimeout(timer);
        if (ready) resolve();
        else reject(this.closed(what));
      });
    });
  }

  /** The configuration refusal that closed the connection, or that it is closed. */
  private closed(what: string): Error {
    const refusal = refusalOf(this.client);
    if (refusal) return refusal;
    return new RedisUnavailableError(
      `${what}: the connection to Redis at ${this.where} is closed`,
    );
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
      if (!this.timer) {
        this.timer = setInterval(
          () => this.expire(),
          Math.max(10, Math.min(1000, this.waitMs / 10)),
        );
        // The operations' socket keeps the process alive while they wait; this timer,
        // which stops only at its next tick, must not (a closed app would linger ~1 s).
        this.timer.unref();
      }
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
