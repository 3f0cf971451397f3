import type { ConfirmChannel, Message, Options } from 'amqplib';
import { AmqpConnection, LiveConnection } from './amqp-connection';
import { AmqpLogger } from './connection-options';
import {
  AmqpRefusedError,
  AmqpUnavailableError,
  AmqpUnroutableError,
} from './errors';
import { Backlog } from './backlog';
import { InFlight, InFlightEntry } from './in-flight';
import { ReturnedMessages } from './returned-messages';
import { closeChannel } from './safe-close';

export interface PublishRequest {
  exchange: string;
  routingKey: string;
  content: Buffer;
  /** With `mandatory`, a message no queue takes rejects with AmqpUnroutableError. */
  options: Options.Publish;
}

interface Waiting {
  request: PublishRequest;
  deadline: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** The channel died before confirming: the message may or may not be on the broker. */
class ChannelLostError extends Error {}

/** The channel was closed already: nothing was written. */
class NotSentError extends Error {}

const RETRY_PAUSE_MS = 50;
/** A message whose channel keeps dying under it is given up (it may be what kills it). */
const MAX_SENDS = 5;

function isFinal(error: unknown): boolean {
  return (
    error instanceof AmqpRefusedError ||
    error instanceof AmqpUnroutableError ||
    error instanceof AmqpUnavailableError
  );
}

/**
 * Publishes on one confirm channel and resolves each publish when the broker confirms it.
 * Every publish is written at once and waits only for its own confirm, so any number can
 * be in flight and RabbitMQ confirms them in batches (`multiple`): no round trip per
 * message. When the socket buffer is full (`publish()` returns false) later publishes wait
 * for `drain`. A publish whose channel dies unconfirmed is sent again on the next channel
 * (at least once), until its deadline; then it rejects. Nothing is dropped silently.
 */
export class ConfirmPublisher {
  private channel: { channel: ConfirmChannel; generation: number } | undefined;
  private opening: Promise<ConfirmChannel> | undefined;
  /** The socket buffer is full: writes wait in `backlog`, in order, until `drain`. */
  private blocked = false;
  private readonly backlog = new Backlog<Waiting>();
  private readonly returned = new ReturnedMessages();
  private readonly inFlight = new InFlight(
    () =>
      new AmqpUnavailableError(
        `RabbitMQ at ${this.connection.target.display} did not confirm a message in time`,
      ),
  );

  constructor(
    private readonly connection: AmqpConnection,
    private readonly logger: AmqpLogger,
    /** Told when the broker closed the channel on purpose (e.g. 404: an exchange is gone). */
    private readonly onChannelError: (error: Error) => void = () => undefined,
  ) {}

  publish(request: PublishRequest, deadline: number): Promise<void> {
    // Hot path: channel up, socket not full. Nothing awaited before writing.
    const live = this.connection.current;
    const current = this.channel;
    if (live && current?.generation === live.generation && !this.blocked) {
      return this.send(current.channel, request, deadline).catch((error) =>
        this.recover(error, request, deadline, current.channel, 0),
      );
    }
    return this.publishWithRetries(request, deadline, 0);
  }

  private async publishWithRetries(
    request: PublishRequest,
    deadline: number,
    lost: number,
  ): Promise<void> {
    let channel: ConfirmChannel | undefined;
    try {
      const live =
        this.connection.current ?? (await this.connection.get(deadline));
      channel =
        this.channel?.generation === live.generation
          ? this.channel.channel
          : await this.channelOf(live);
      if (this.blocked) await this.writeInTurn(request, deadline);
      else await this.send(channel, request, deadline);
    } catch (error) {
      await this.recover(error, request, deadline, channel, lost);
    }
  }

  /** After a failed attempt: rethrow what retrying cannot fix, else publish again. */
  private async recover(
    error: unknown,
    request: PublishRequest,
    deadline: number,
    channel: ConfirmChannel | undefined,
    lost: number,
  ): Promise<void> {
    if (isFinal(error)) throw error;
    if (channel && this.channel?.channel === channel) this.channel = undefined;
    if (error instanceof ChannelLostError && ++lost >= MAX_SENDS) {
      throw new AmqpUnavailableError(
        `the channel died ${lost} times with a message to ${describe(request)} in ` +
          'flight; giving up on it (a message RabbitMQ cannot take?)',
      );
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      throw new AmqpUnavailableError(
        `RabbitMQ at ${this.connection.target.display} did not confirm a message to ` +
          `${describe(request)} before the publish timeout: ${(error as Error).message}`,
      );
    }
    this.logger.debug(
      `publishing again after a lost channel: ${(error as Error).message}`,
    );
    await new Promise((resolve) =>
      setTimeout(resolve, Math.min(RETRY_PAUSE_MS, remaining)),
    );
    await this.publishWithRetries(request, deadline, lost);
  }

  /** Resolves when no publish waits for a confirm (or after `timeoutMs`). */
  idle(timeoutMs: number): Promise<void> {
    return this.inFlight.idle(timeoutMs);
  }

  async close(): Promise<void> {
    const current = this.channel;
    this.channel = undefined;
    this.inFlight.stop();
    if (current) await closeChannel(current.channel);
  }

  private send(
    channel: ConfirmChannel,
    request: PublishRequest,
    deadline: number,
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const entry: InFlightEntry = { deadline, fail: reject };
      const settle = (error: Error | null) => {
        if (!this.inFlight.delete(entry)) return; // timed out already
        if (error) {
          reject(
            /nack/i.test(error.message)
              ? new AmqpRefusedError(
                  `RabbitMQ refused (basic.nack) a message to ${describe(request)}`,
                )
              : new ChannelLostError(error.message),
          );
        } else if (this.returned.size > 0 && this.wasReturned(request)) {
          reject(
            new AmqpUnroutableError(
              `no queue took the message to ${describe(request)}`,
            ),
          );
        } else {
          resolve();
        }
      };
      this.inFlight.add(entry);
      let written: boolean;
      try {
        written = channel.publish(
          request.exchange,
          request.routingKey,
          request.content,
          request.options,
          settle,
        );
      } catch (error) {
        const message = (error as Error).message;
        if (/channel clos/i.test(message)) {
          this.inFlight.delete(entry);
          reject(new NotSentError(`channel unusable: ${message}`));
          return;
        }
        // amqplib could not encode it; its confirm bookkeeping now counts a message that
        // was never sent, so the channel goes (publishes in flight are sent again).
        this.discard(channel);
        this.inFlight.delete(entry);
        reject(
          new AmqpRefusedError(
            `cannot send a message to ${describe(request)}: ${message}`,
          ),
        );
        return;
      }
      if (!written) this.blockUntilDrain(channel);
    });
  }

  private discard(channel: ConfirmChannel): void {
    if (this.channel?.channel === channel) this.channel = undefined;
    void closeChannel(channel);
  }

  private async channelOf(live: LiveConnection): Promise<ConfirmChannel> {
    if (!this.opening) {
      this.opening = live.model
        .createConfirmChannel()
        .then((channel) => this.adopt(channel, live.generation))
        .finally(() => {
          this.opening = undefined;
        });
    }
    return this.opening;
  }

  private adopt(channel: ConfirmChannel, generation: number): ConfirmChannel {
    const current = { channel, generation };
    this.channel = current;
    channel.on('error', (error: Error) => {
      this.logger.warn(
        `publish channel closed by the broker: ${error.message}`,
      );
      this.onChannelError(error);
    });
    channel.on('close', () => {
      if (this.channel === current) this.channel = undefined;
      this.returned.clear(); // returns belong to the channel's own messages
    });
    channel.on('return', (message: Message) => this.returned.record(message));
    return channel;
  }

  private wasReturned(request: PublishRequest): boolean {
    return (
      request.options.mandatory === true &&
      this.returned.take(
        request.exchange,
        request.routingKey,
        request.options.correlationId,
      )
    );
  }

  private blockUntilDrain(channel: ConfirmChannel): void {
    if (this.blocked) return;
    this.blocked = true;
    const done = () => {
      channel.off('drain', done);
      channel.off('close', done);
      this.blocked = false;
      this.admitWaiting();
    };
    channel.on('drain', done);
    channel.on('close', done);
  }

  /**
   * Queues a write behind earlier ones until the socket drains. Writes leave the queue in
   * order, each written before the next is considered, until the buffer is full again:
   * a burst of thousands costs O(n), not a wake-up of everyone on every drain.
   */
  private writeInTurn(
    request: PublishRequest,
    deadline: number,
  ): Promise<void> {
    return new Promise((resolve, reject) =>
      this.backlog.push({ request, deadline, resolve, reject }),
    );
  }

  private admitWaiting(): void {
    while (!this.blocked) {
      const waiting = this.backlog.shift();
      if (!waiting) return;
      const { request, deadline, resolve, reject } = waiting;
      if (Date.now() >= deadline) {
        reject(
          new AmqpUnavailableError(
            `RabbitMQ at ${this.connection.target.display} took no data before the publish timeout`,
          ),
        );
        continue;
      }
      const current = this.channel;
      const written = current
        ? this.send(current.channel, request, deadline).catch((error) =>
            this.recover(error, request, deadline, current.channel, 0),
          )
        : this.publishWithRetries(request, deadline, 0);
      written.then(resolve, reject);
    }
  }
}

function describe(request: PublishRequest): string {
  return request.exchange === ''
    ? `queue ${JSON.stringify(request.routingKey)}`
    : `exchange ${JSON.stringify(request.exchange)}`;
}
