import type { ChannelModel } from 'amqplib';

/** The parts of amqplib 0.10's frame multiplexer (lib/mux.js) this touches. */
interface Mux {
  _readIncoming(): void;
  out: { cork(): void; uncork(): void };
}

/**
 * Makes amqplib write each batch of frames to the socket in one system call. Its
 * multiplexer moves the channels' frames to the socket one `write` per frame (their
 * buffers are object streams), so every ack and every publish cost a syscall; corked
 * around one pass, they go out together (writev). The order of frames is unchanged.
 * amqplib internals: when they are not there (another version), nothing changes.
 */
export function batchSocketWrites(model: ChannelModel): boolean {
  const mux = (model as unknown as { connection?: { muxer?: Partial<Mux> } })
    .connection?.muxer;
  const out = mux?.out;
  const readIncoming = mux?._readIncoming;
  if (
    !mux ||
    typeof readIncoming !== 'function' ||
    typeof out?.cork !== 'function' ||
    typeof out.uncork !== 'function'
  )
    return false;
  const readCorked = function (this: Mux) {
    out.cork();
    try {
      readIncoming.call(this);
    } finally {
      out.uncork();
    }
  };
  mux._readIncoming = readCorked;
  return true;
}
