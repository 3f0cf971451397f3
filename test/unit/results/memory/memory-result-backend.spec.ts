import { MemoryResultBackend } from '../../../../lib/results/memory/memory-result-backend';
import { uniqueName } from '../../../support/wait';

describe('revocations', () => {
  it('are kept in the memory backend until they expire, the later expiry winning', async () => {
    const backend = new MemoryResultBackend(uniqueName('revoked'));
    await backend.addRevoked(['a', 'b'], 60);
    await backend.addRevoked(['b'], 0.05);
    await backend.addRevoked(['c'], 0.05);
    expect((await backend.listRevoked()).map((r) => r.taskId).sort()).toEqual([
      'a',
      'b',
      'c',
    ]);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect((await backend.listRevoked()).map((r) => r.taskId).sort()).toEqual([
      'a',
      'b',
    ]);
  });
});
