import type { Channel } from 'amqplib';
import { LiveConnection } from './amqp-connection';
import { closeChannel } from './safe-close';

/** Runs `use` on a channel of its own, closed after; the channel's error event is `use`'s rejection. */
export async function withChannel<T>(
  live: LiveConnection,
  use: (channel: Channel) => Promise<T>,
): Promise<T> {
  const channel = await live.model.createChannel();
  channel.on('error', () => undefined); // the refusal rejects `use`
  try {
    return await use(channel);
  } finally {
    await closeChannel(channel);
  }
}
