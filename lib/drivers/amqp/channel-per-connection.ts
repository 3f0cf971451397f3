import type { Channel } from 'amqplib';
import { AmqpConnection, LiveConnection } from './amqp-connection';
import { backoffDelay } from './backoff';
import { AmqpLogger } from './connection-options';
import { closeChannel } from './safe-close';
import { settledWithin } from '../../common/settled-within';

export interface ChannelPerConnectionOptions {
  /**
   * The wait before subscribing again once the channel closed while its connection
   * lives (queue deleted, consumer cancelled by the broker: see `consumeOrClose`),
   * doubled on each failed set-up (up to 5 s). Default 100 ms.
   */
  resubscribeDelayMs?: number;
}

const DEFAULT_RESUBSCRIBE_DELAY_MS = 100;
const MAX_RESUBSCRIBE_DELAY_MS = 5_000;
/** How long close() waits for a set-up under way (which closes its channel itself when late). */
const CLOSE_WAIT_MS = 2_000;

interface OpenChannel {
  channel: Channel;
  generation: number;
}

/**
 * A subscriber's channel, set up (queue, bindings, consumer) on the connection and
 * again on every new connection until closed, and again when the channel alone
 * closes: the event bus's receiver, the control bus's pidbox queue, rpc://'s reply
 * queue. `what` names it in warnings.
 */
export class ChannelPerConnection {
  private channel: OpenChannel | undefined;
  private opening: Promise<void> | undefined;
  private closed = false;
  private unlisten: (() => void) | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  /** Set-ups keep failing: their channel errors are logged at debug, not each a warning. */
  private failing = false;
  private readonly resubscribeDelayMs: number;

  constructor(
    private readonly connection: AmqpConnection,
    private readonly logger: AmqpLogger,
    private readonly what: string,
    private readonly setUp: (channel: Channel) => Promise<void>,
    options: ChannelPerConnectionOptions = {},
  ) {
    this.resubscribeDelayMs =
      options.resubscribeDelayMs ?? DEFAULT_RESUBSCRIBE_DELAY_MS;
  }

  async start(deadline: number): Promise<void> {
    this.unlisten ??= this.connection.onConnect((live) =>
      this.listenOrRetry(live, 0, 'could not listen again after reconnecting'),
    );
    await this.listen(await this.connection.get(deadline));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unlisten?.();
    clearTimeout(this.retryTimer);
    if (this.opening) await settledWithin(this.opening, CLOSE_WAIT_MS);
    const current = this.channel;
    this.channel = undefined;
    if (current) await closeChannel(current.channel);
  }

  /**
   * Sets up once per connection: on the first connection both the listener and
   * start() get here, one after the other.
   */
  private async listen(live: LiveConnection): Promise<void> {
    while (this.opening) await this.opening.catch(() => undefined);
    if (this.closed || this.connection.current !== live) return;
    if (this.channel?.generation === live.generation) return;
    this.opening = this.open(live).finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  private async open(live: LiveConnection): Promise<void> {
    const channel = await live.model.createChannel();
    if (this.closed) {
      await closeChannel(channel);
      return;
    }
    const current = { channel, generation: live.generation };
    let channelClosed = false;
    channel.on('error', (error: Error) => {
      const message = `${this.what} channel failed: ${error.message}`;
      if (this.failing) this.logger.debug(message);
      else this.logger.warn(message);
    });
    channel.on('close', () => {
      channelClosed = true;
      this.onChannelClose(current, live);
    });
    try {
      await this.setUp(channel);
      // The broker may close it in the frames that answered the last set-up step.
      if (channelClosed) throw new Error('channel closed during set-up');
    } catch (error) {
      await closeChannel(channel);
      throw error;
    }
    if (this.closed) {
      await closeChannel(channel);
      return;
    }
    this.channel = current;
    this.failing = false;
  }

  private onChannelClose(current: OpenChannel, live: LiveConnection): void {
    if (this.channel !== current) return; // closed by close(), or replaced
    this.channel = undefined;
    if (!this.closed) this.scheduleRetry(live, 0);
  }

  /**
   * A dying connection closes its channels before itself: after the delay it is gone
   * (its reconnection sets up again) and this stays silent.
   */
  private scheduleRetry(live: LiveConnection, attempt: number): void {
    const delay =
      attempt === 0
        ? this.resubscribeDelayMs
        : backoffDelay(
            attempt,
            this.resubscribeDelayMs,
            MAX_RESUBSCRIBE_DELAY_MS,
          );
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.closed || this.connection.current !== live) return;
      if (attempt === 0)
        this.logger.warn(
          `${this.what}: channel closed while connected (queue deleted or consumer cancelled); subscribing again`,
        );
      this.listenOrRetry(live, attempt, 'could not subscribe again');
    }, delay);
    this.retryTimer.unref();
  }

  /** Sets up on `live`; a failure is retried with backoff, warned of once in a row. */
  private listenOrRetry(
    live: LiveConnection,
    attempt: number,
    failed: string,
  ): void {
    this.listen(live).catch((error: Error) => {
      const message = `${this.what}: ${failed}: ${error.message}; retrying`;
      if (this.failing) this.logger.debug(message);
      else this.logger.warn(message);
      this.failing = true;
      if (!this.closed) this.scheduleRetry(live, attempt + 1);
    });
  }
}
