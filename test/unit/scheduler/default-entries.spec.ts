import { ResultBackend } from '../../../lib/results/result-backend';
import { MemoryResultBackend } from '../../../lib/results/memory/memory-result-backend';
import { defaultEntries } from '../../../lib/scheduler/default-entries';

/** A backend with Celery's `cleanup` (as PostgreSQL's), built on the memory one. */
function cleaningBackend(): ResultBackend {
  const backend: ResultBackend = new MemoryResultBackend('default-entries');
  return Object.assign(backend, { cleanup: () => Promise.resolve(0) });
}

describe("beat's default entries (Celery's install_default_entries)", () => {
  it('celery.backend_cleanup daily at 4:00 UTC, expiring after 12 h, when results expire on a backend with cleanup', () => {
    const [entry, ...others] = defaultEntries(cleaningBackend(), 86_400);
    expect(others).toEqual([]);
    expect(entry).toMatchObject({
      name: 'celery.backend_cleanup',
      task: 'celery.backend_cleanup',
      args: [],
      expires: 43_200,
    });
    const midnight = Date.UTC(2026, 11, 6, 0, 0);
    expect(new Date(entry.schedule.next(midnight)).toISOString()).toBe(
      '2026-12-06T04:00:00.000Z',
    );
  });

  it('none when results are kept forever, or the backend expires them itself', () => {
    expect(defaultEntries(cleaningBackend(), 0)).toEqual([]);
    expect(
      defaultEntries(new MemoryResultBackend('default-entries'), 86_400),
    ).toEqual([]);
  });
});
