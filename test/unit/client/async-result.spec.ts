import { AsyncResult } from '../../../lib/client/async-result';
import { GroupResult } from '../../../lib/client/group-result';
import { MemoryResultBackend } from '../../../lib/results/memory/memory-result-backend';
import { uniqueName } from '../../support/wait';

describe('AsyncResult.revokeChain and GroupResult.revoke: every step on the parent links', () => {
  const backend = new MemoryResultBackend(uniqueName('revoke-chain'));
  const revoked: string[] = [];
  const result = (id: string) =>
    new AsyncResult(id, backend, false, (taskId) => {
      revoked.push(taskId);
      return Promise.resolve();
    });

  beforeEach(() => revoked.splice(0));

  it('revokeChain: the last step, the chord body, its header members and the step before the header', async () => {
    const first = result('first');
    const header = new GroupResult('g', [result('h1'), result('h2')], backend);
    header.parent = first;
    const body = result('body');
    body.parent = header;
    const last = result('last');
    last.parent = body;
    await last.revokeChain();
    expect(revoked).toEqual(['last', 'body', 'h1', 'h2', 'first']);
  });

  it('GroupResult.revoke: every member, and the earlier steps of a member that is a chain', async () => {
    const chained = result('c2');
    chained.parent = result('c1');
    await new GroupResult('g', [result('a'), chained], backend).revoke();
    expect(revoked.sort()).toEqual(['a', 'c1', 'c2']);
  });
});
