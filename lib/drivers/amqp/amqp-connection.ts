import type * as Amqplib from 'amqplib';

/** amqplib, loaded on the first connection: a Redis-only process never loads it. */
function amqplib(): typeof Amqplib {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('amqplib') as typeof Amqplib;
}
import type { ChannelModel } from 'amqplib';
import {
  AmqpConnectionOptions,
  AmqpLogger,
  consoleLogger,
} from './connection-options';
import { AmqpTarget, parseAmqpUrl } from './amqp-url';
import { backoffDelay } from './backoff';
import { batchSocketWrites } from './batch-writes';
import { connectionRefusal, describeAmqpError } from './describe-error';
import { AmqpConfigurationError, AmqpUnavailableError } from './errors';
import { ReplyLanes } from './reply-lanes';
import { tlsConnectOptions } from '../tls/tls-connect-options';
import type { ConnectionOptions } from 'node:tls';
import { closeConnection } from './safe-close';

/** A live connection and its number: channels of an older number are dead. */
export interface LiveConnection {
  model: ChannelModel;
  generation: number;
}

/** Socket connect + AMQP handshake limit for one attempt (amqplib's `timeout`). */
const CONNECT_TIMEOUT_MS = 10_000;

/** setTimeout's limit (about 24.8 days); waiting "forever" re-checks that often. */
const MAX_TIMER_MS = 2 ** 31 - 1;

type ConnectListener = (live: LiveConnection) => void;

/**
 * One AMQP connection that comes back by itself: when it is lost (broker restart,
 * `rabbitmqctl close_connection`, network), it reconnects with exponential backoff
 * until `close()`, and tells listeners so they re-declare and resume consuming.
 */
export class AmqpConnection {
  readonly target: AmqpTarget;
  readonly logger: AmqpLogger;
  /** Consumer channels by the task ids they hold: rpc:// replies ride with the acks. */
  readonly replyLanes = new ReplyLanes();
  private live: LiveConnection | undefined;
  private generation = 0;
  private loop: Promise<void> | undefined;
  private closed = false;
  private lastError: Error | undefined;
  /** Set when the broker refused the connection for good: no more attempts. */
  private refusal: AmqpConfigurationError | undefined;
  private readonly listeners = new Set<ConnectListener>();
  private readonly waiters = new Set<() => void>();
  private wakeLoop: (() => void) | undefined;
  private readonly tls: ConnectionOptions | undefined;

  constructor(
    url: string,
    private readonly options: AmqpConnectionOptions = {},
  ) {
    this.target = parseAmqpUrl(url, options.heartbeat);
    this.logger = options.logger ?? consoleLogger;
    this.tls = tlsOf(this.target, options);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** The connection if it is up now. */
  get current(): LiveConnection | undefined {
    return this.live;
  }

  /** The RabbitMQ version the server announced (`3.10.8`), once connected. */
  get serverVersion(): string | undefined {
    const version = this.live?.model.connection.serverProperties.version;
    return typeof version === 'string' ? version : undefined;
  }

  /**
   * The live connection, connecting first if needed. Rejects with AmqpUnavailableError
   * at `deadline` (epoch ms) while the broker cannot be reached, or once closed, and
   * with AmqpConfigurationError as soon as the broker refused the connection for good.
   */
  async get(deadline = Number.POSITIVE_INFINITY): Promise<LiveConnection> {
    for (;;) {
      if (this.refusal) throw this.refusal;
      if (this.closed)
        throw new AmqpUnavailableError(
          `${this.target.display}: connection closed`,
        );
      if (this.live) return this.live;
      this.start();
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        const reason = this.lastError
          ? `: ${describeAmqpError(this.lastError)}`
          : '';
        throw new AmqpUnavailableError(
          `RabbitMQ at ${this.target.display} is unreachable${reason}`,
        );
      }
      await this.waitForChange(remaining);
    }
  }

  /** Called with every new connection (the first and each reconnection). */
  onConnect(listener: ConnectListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.wakeLoop?.();
    this.notifyWaiters();
    const live = this.live;
    this.live = undefined;
    if (live) await closeConnection(live.model);
  }

  /** Starts the connect loop unless it runs already. */
  private start(): void {
    if (this.loop || this.closed || this.refusal) return;
    this.loop = this.connectLoop().finally(() => {
      this.loop = undefined;
    });
  }

  private async connectLoop(): Promise<void> {
    for (let attempt = 0; !this.closed; attempt++) {
      try {
        const model = await amqplib().connect(
          this.target.connect,
          this.socketOptions(),
        );
        if (this.closed) {
          await closeConnection(model);
          return;
        }
        this.adopt(model);
        return;
      } catch (error) {
        this.lastError = error as Error;
        const refusal = connectionRefusal(
          this.lastError,
          this.target.connect.vhost ?? '/',
        );
        if (refusal !== undefined) {
          this.refuse(refusal);
          return;
        }
        const delay = backoffDelay(
          attempt,
          this.options.reconnectMinMs,
          this.options.reconnectMaxMs,
        );
        this.logger.warn(
          `cannot connect to ${this.target.display}: ${describeAmqpError(this.lastError)}; retrying in ${delay} ms`,
        );
        this.notifyWaiters();
        await this.sleep(delay);
      }
    }
  }

  /** A configuration error: said once, at ERROR, and every waiter rejects with it. */
  private refuse(reason: string): void {
    this.refusal = new AmqpConfigurationError(
      `RabbitMQ at ${this.target.display} refused the connection: ${reason}. Nothing is sent to it; fix the URL and restart`,
    );
    this.logger.error(this.refusal.message);
    this.notifyWaiters();
  }

  private adopt(model: ChannelModel): void {
    if (!batchSocketWrites(model))
      this.logger.debug('amqplib internals differ: frames written one by one');
    const live = { model, generation: ++this.generation };
    this.live = live;
    this.lastError = undefined;
    model.on('error', (error: Error) => {
      this.lastError = error;
      this.logger.warn(
        `connection to ${this.target.display} failed: ${describeAmqpError(error)}`,
      );
    });
    model.on('blocked', (reason: string) =>
      this.logger.warn(
        `RabbitMQ blocks publishing (${reason}): sends wait or time out`,
      ),
    );
    model.on('unblocked', () =>
      this.logger.warn('RabbitMQ unblocked publishing'),
    );
    model.on('close', () => {
      if (this.live !== live) return;
      this.live = undefined;
      if (this.closed) return;
      this.logger.warn(
        `connection to ${this.target.display} lost; reconnecting`,
      );
      this.start();
    });
    if (this.generation > 1)
      this.logger.warn(`reconnected to ${this.target.display}`);
    for (const listener of this.listeners) {
      try {
        listener(live);
      } catch (error) {
        this.logger.error(
          `connect listener failed: ${(error as Error).message}`,
        );
      }
    }
    this.notifyWaiters();
  }

  private socketOptions(): Record<string, unknown> {
    const name = this.options.connectionName;
    return {
      noDelay: true,
      timeout: CONNECT_TIMEOUT_MS,
      ...this.tls,
      ...this.options.socketOptions,
      clientProperties: { ...(name ? { connection_name: name } : {}) },
    };
  }

  private waitForChange(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.min(timeoutMs, MAX_TIMER_MS));
      this.waiters.add(done);
    });
  }

  private notifyWaiters(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeLoop = done;
    });
  }
}

/** The TLS settings of an `amqps://` target; TLS options for `amqp://` are a mistake. */
function tlsOf(
  target: AmqpTarget,
  options: AmqpConnectionOptions,
): ConnectionOptions | undefined {
  if (target.connect.protocol === 'amqps')
    return tlsConnectOptions(
      options.tls ?? {},
      target.connect.hostname ?? 'localhost',
      TLS_SOURCE,
    );
  if (options.tls !== undefined)
    throw new Error(
      `TLS options are given for ${target.display}, a URL without TLS: use amqps://`,
    );
  return undefined;
}

const TLS_SOURCE = {
  ca: 'tls.ca',
  cert: 'tls.cert',
  key: 'tls.key',
  servername: 'tls.servername',
  rejectUnauthorized: 'tls.rejectUnauthorized',
};
