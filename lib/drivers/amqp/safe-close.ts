import type { Channel, ChannelModel } from 'amqplib';

const CLOSE_TIMEOUT_MS = 2_000;

/**
 * Closes a channel without hanging: amqplib's `close()` waits for CloseOk, which never
 * comes when the connection dies meanwhile. Settles on CloseOk, on the channel's `close`
 * event, or after a timeout.
 */
export function closeChannel(
  channel: Channel,
  timeoutMs = CLOSE_TIMEOUT_MS,
): Promise<void> {
  return settleWithin(timeoutMs, channel, () => channel.close());
}

/** Closes a connection; if the broker does not answer in time, drops the socket. */
export async function closeConnection(
  model: ChannelModel,
  timeoutMs = CLOSE_TIMEOUT_MS,
): Promise<void> {
  await settleWithin(timeoutMs, model, () => model.close());
  const stream = (
    model.connection as unknown as {
      stream?: { destroyed?: boolean; destroy(): void };
    }
  ).stream;
  if (stream && !stream.destroyed) stream.destroy();
}

function settleWithin(
  timeoutMs: number,
  emitter: NodeJS.EventEmitter,
  close: () => Promise<void>,
): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      emitter.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    emitter.once('close', done);
    try {
      close().then(done, done);
    } catch {
      done(); // already closed
    }
  });
}
