import { RevokedTasks } from '../../../lib/worker/revoked-tasks';

describe('revocations', () => {
  it('are looked up by a worker until they expire, the oldest forgotten past the cap', () => {
    const revoked = new RevokedTasks(2);
    const later = Date.now() + 60_000;
    revoked.add('a', later);
    revoked.add('b', Date.now() - 1);
    expect(revoked.has('a')).toBe(true);
    expect(revoked.has('b')).toBe(false);
    revoked.add('c', later);
    revoked.add('d', later);
    expect([revoked.has('a'), revoked.has('c'), revoked.has('d')]).toEqual([
      false,
      true,
      true,
    ]);
  });
});
