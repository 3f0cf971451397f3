import type { Channel } from 'amqplib';
import { AmqpConnection, LiveConnection } from './amqp-connection';
import { AmqpLogger } from './connection-options';
import { closeChannel } from './safe-close';

/**
 * A subscriber's channel, set up (queue, bindings, consumer) on the connection and
 * again on every new connection until closed: the event bus's receiver and the
 * control bus's pidbox queue. `what` names it in warnings.
 */
export class ChannelPerConnection {
  private channel: { channel: Channel; generation: number } | undefined;
  private opening: Promise<void> | undefined;
  private closed = false;
  private unlisten: (() => void) | undefined;

  constructor(
    private readonly connection: AmqpConnection,
    private readonly logger: AmqpLogger,
    private readonly what: string,
    private readonly setUp: (channel: Channel) => Promise<void>,
  ) {}

  async start(deadline: number): Promise<void> {
    this.unlisten ??= this.connection.onConnect((live) => {
      this.listen(live).catch((error: Error) =>
        this.logger.warn(
          `${this.what}: could not listen again after reconnecting: ${error.message}`,
        ),
      );
    });
    await this.listen(await this.connection.get(deadline));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unlisten?.();
    await this.opening?.catch(() => undefined);
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
    channel.on('error', (error: Error) =>
      this.logger.warn(`${this.what} channel failed: ${error.message}`),
    );
    try {
      await this.setUp(channel);
    } catch (error) {
      await closeChannel(channel);
      throw error;
    }
    if (this.closed) {
      await closeChannel(channel);
      return;
    }
    this.channel = { channel, generation: live.generation };
  }
}
