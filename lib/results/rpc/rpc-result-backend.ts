import { randomUUID } from 'node:crypto';
import {
  RABBITMQ_MAX_MESSAGE_BYTES,
  checkSize,
  sizeLimitOption,
} from '../../transports/message-size';
import { ResultMeta } from '../../protocol';
import { ConnectionCheck } from '../../transports/connection-check';
import { AmqpConnection } from '../../drivers/amqp/amqp-connection';
import {
  AmqpConnectionOptions,
  AmqpLogger,
  DEFAULT_PUBLISH_TIMEOUT_MS,
  consoleLogger,
} from '../../drivers/amqp/connection-options';
import { ConfirmPublisher } from '../../drivers/amqp/confirm-publisher';
import { AmqpUnroutableError } from '../../drivers/amqp/errors';
import { ResultBackend, StoreContext } from '../result-backend';
import { ReplyBuffer } from './reply-buffer';
import { readReply, replyBody, replyOptions } from './reply-codec';
import { ReplyQueue } from './reply-queue';

export interface RpcResultBackendOptions extends AmqpConnectionOptions {
  /** Seconds a result is kept: the reply queue's `x-expires` and this process's buffer. Default 86400. */
  expiresIn?: number;
  /** The reply queue's durability; default transient before RabbitMQ 4, durable from 4 on. */
  replyQueueDurable?: boolean;
  /** How long `store` waits for the broker during an outage, in ms. Default 10000. */
  publishTimeoutMs?: number;
  /** The client's id, naming its reply queue. Default: a random uuid. */
  oid?: string;
  /**
   * Largest reply sent, in bytes: larger ones are refused with MessageTooLargeError
   * (the worker sends that as the task's FAILURE instead). Default 128 MiB, RabbitMQ's
   * `max_message_size` up to 3.13 (16 MiB from 4.0).
   */
  maxResultSize?: number;
}

const DEFAULT_EXPIRES_IN = 86_400;

/**
 * Celery's `rpc://` result backend. Results travel as AMQP messages to the client that
 * sent the task: each client consumes a reply queue named after its oid (`replyTo`,
 * sent as the tasks' `reply_to`); a worker's `store` publishes the state there with
 * `correlation_id` = task id. Replies are matched by id in any order and kept in this
 * process. Only the sender can read a result, and nothing survives it: use the Redis
 * backend when other processes need results.
 */
export class RpcResultBackend implements ResultBackend, ConnectionCheck {
  readonly kind = 'rpc';
  readonly refusesChords =
    'results go to the sender only, so no worker sees the header complete (Celery refuses chords on rpc:// too)';
  readonly replyTo: string;
  private readonly logger: AmqpLogger;
  private readonly buffer: ReplyBuffer;
  private readonly replies: ReplyQueue;
  private readonly publisher: ConfirmPublisher;
  private readonly publishTimeoutMs: number;
  private readonly maxResultSize: number;
  private started: Promise<void> | undefined;

  /** Shares `connection` (for instance the AMQP transport's); `close()` leaves it open. */
  constructor(
    private readonly connection: AmqpConnection,
    options: RpcResultBackendOptions = {},
    private readonly ownsConnection = false,
  ) {
    this.logger = options.logger ?? consoleLogger;
    this.replyTo = options.oid ?? randomUUID();
    this.publishTimeoutMs =
      options.publishTimeoutMs ?? DEFAULT_PUBLISH_TIMEOUT_MS;
    this.maxResultSize = sizeLimitOption(
      options.maxResultSize,
      RABBITMQ_MAX_MESSAGE_BYTES,
      'backendOptions.maxResultSize',
    );
    const expiresIn = options.expiresIn ?? DEFAULT_EXPIRES_IN;
    this.buffer = new ReplyBuffer(expiresIn * 1000);
    this.publisher = new ConfirmPublisher(connection, this.logger);
    this.replies = new ReplyQueue(
      connection,
      {
        name: this.replyTo,
        expiresMs: expiresIn * 1000,
        durable: options.replyQueueDurable,
      },
      (message) => {
        const meta = readReply(message);
        if (meta) this.buffer.put(meta);
        else
          this.logger.warn(
            `ignored a reply on ${this.replyTo} that is not a result`,
          );
      },
      this.logger,
    );
  }

  /** `rpc://`; the replies go through the broker at `brokerUrl` (its own connection). */
  static fromUrl(
    url: string,
    options: RpcResultBackendOptions & { brokerUrl: string },
  ): RpcResultBackend {
    if (!/^rpc:\/\//.test(url)) {
      throw new Error(
        `not an rpc:// result backend URL: ${JSON.stringify(url)}`,
      );
    }
    if (!options.brokerUrl)
      throw new Error('rpc:// needs the AMQP broker URL (brokerUrl)');
    return new RpcResultBackend(
      new AmqpConnection(options.brokerUrl, options),
      options,
      true,
    );
  }

  /**
   * Declares and consumes the reply queue. Call it before sending tasks: a reply sent
   * before the queue exists is lost. `get` and `waitForReady` call it too. Waits
   * `waitMs` for the broker (default `publishTimeoutMs`; `failFast`'s timeout at boot).
   */
  connect(waitMs = this.publishTimeoutMs): Promise<void> {
    this.started ??= this.replies
      .start(Date.now() + waitMs)
      .catch((error: unknown) => {
        this.started = undefined;
        throw error;
      });
    return this.started;
  }

  /** ConnectionCheck: the broker took the connection and the reply queue is consumed. */
  async checkConnection(waitMs: number): Promise<void> {
    await this.connection.get(Date.now() + waitMs);
    await this.connect(waitMs);
  }

  /** Worker side: sends the state to the task's sender (`context.replyTo`). */
  async store(meta: ResultMeta, context: StoreContext = {}): Promise<void> {
    const replyTo = context.replyTo;
    if (!replyTo) {
      this.logger.debug(
        `no reply_to for ${meta.task_id}: its ${meta.status} goes nowhere (rpc://)`,
      );
      return;
    }
    const content = replyBody(meta);
    checkSize(
      () => `the ${meta.status} result of ${meta.task_id}`,
      content.length,
      this.maxResultSize,
      'backendOptions.maxResultSize',
    );
    const options = replyOptions(meta.task_id);
    // The delivery is unsettled on a consumer channel of this connection: the reply goes
    // there, ahead of the ack, and is not waited for (docs/rabbitmq.md, "Replies and acks").
    const lane = this.connection.replyLanes.laneOf(meta.task_id);
    if (lane?.publishReply(replyTo, content, options)) return;
    try {
      await this.publisher.publish(
        { exchange: '', routingKey: replyTo, content, options },
        Date.now() + this.publishTimeoutMs,
      );
    } catch (error) {
      if (!(error instanceof AmqpUnroutableError)) throw error;
      // The client is gone with its queue; as in Celery, the result is dropped (and said so).
      this.logger.warn(
        `reply queue ${replyTo} is gone: ${meta.status} of ${meta.task_id} dropped`,
      );
    }
  }

  async get(taskId: string): Promise<ResultMeta | undefined> {
    this.connectInBackground();
    return this.buffer.get(taskId);
  }

  waitForReady(
    taskId: string,
    timeoutMs: number,
    onUpdate?: (meta: ResultMeta) => void,
  ): Promise<ResultMeta | undefined> {
    const waiting = this.buffer.waitForReady(taskId, timeoutMs, onUpdate);
    this.connectInBackground();
    return waiting;
  }

  async forget(taskId: string): Promise<void> {
    this.buffer.forget(taskId);
  }

  async close(): Promise<void> {
    await this.replies.close();
    await this.publisher.idle(this.publishTimeoutMs);
    await this.publisher.close();
    if (this.ownsConnection) await this.connection.close();
  }

  private connectInBackground(): void {
    this.connect().catch((error: Error) =>
      this.logger.error(
        `rpc:// cannot consume its reply queue: ${error.message}`,
      ),
    );
  }
}
