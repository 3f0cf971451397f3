import type { Channel, ConsumeMessage, Options, Replies } from 'amqplib';
import { closeChannel } from './safe-close';

/**
 * `channel.consume`, closing the channel when the broker cancels the consumer (its
 * queue deleted, ...): amqplib only hands the callback `null`, and the channel's
 * `close` is what tells a `ChannelPerConnection` to subscribe again.
 */
export function consumeOrClose(
  channel: Channel,
  queue: string,
  onMessage: (message: ConsumeMessage) => void,
  options?: Options.Consume,
): Promise<Replies.Consume> {
  return channel.consume(
    queue,
    (message) => {
      if (message) onMessage(message);
      else void closeChannel(channel);
    },
    options,
  );
}
