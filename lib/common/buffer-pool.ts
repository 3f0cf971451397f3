/**
 * Buffers to write into again once what was written in them is sent: a busy
 * publisher's messages (a worker's `task.multi` lists, a few every 10 ms) then reuse
 * memory already mapped, instead of a fresh allocation and its page faults each.
 */
export class BufferPool {
  private readonly free: Buffer[] = [];

  /** `size`: each new buffer's; `keep`: how many it holds at most. */
  constructor(
    private readonly size: number,
    private readonly keep: number,
  ) {}

  take(): Buffer {
    return this.free.pop() ?? Buffer.allocUnsafeSlow(this.size);
  }

  /** Gives back a buffer nothing reads any more (one grown past 4 sizes is let go). */
  give(buffer: Buffer): void {
    if (this.free.length < this.keep && buffer.length <= 4 * this.size)
      this.free.push(buffer);
  }
}
