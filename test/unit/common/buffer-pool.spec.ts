import { BufferPool } from '../../../lib/common/buffer-pool';

describe('BufferPool', () => {
  it('hands back the buffers it was given, newest first, and new ones of its size when empty', () => {
    const pool = new BufferPool(1024, 2);
    const a = pool.take();
    const b = pool.take();
    expect(a.length).toBe(1024);
    expect(a.buffer).not.toBe(b.buffer);
    pool.give(a);
    pool.give(b);
    expect(pool.take()).toBe(b);
    expect(pool.take()).toBe(a);
    expect([a, b]).not.toContain(pool.take());
  });

  it('keeps at most `keep` buffers, and none grown past four sizes', () => {
    const pool = new BufferPool(16, 1);
    const kept = Buffer.alloc(64);
    pool.give(Buffer.alloc(65));
    pool.give(kept);
    pool.give(Buffer.alloc(16));
    expect(pool.take()).toBe(kept);
    expect(pool.take()).not.toBe(kept);
  });
});
