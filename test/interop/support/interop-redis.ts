import Redis from 'ioredis';
import { REDIS_URL } from '../../support/redis-keys';
import { uniqueName } from '../../support/wait';

// The broker (db 0 unless REDIS_URL says otherwise); every key behind the test's prefix.
export { REDIS_URL };

/**
 * Results: Celery 5.2's Redis backend has no key prefix, so both sides use
 * `celery-task-meta-<id>` unprefixed, in db 1; tests delete the ids they made.
 */
export const RESULTS_URL = `${REDIS_URL.replace(/\/\d+$/, '')}/1`;

/** A key prefix (kombu's global_keyprefix, Celeriac's keyPrefix) no other test uses. */
export function interopPrefix(label: string): string {
  return `${uniqueName(`celeriac-interop-${label}`)}:`;
}

// One clean-up for every Redis test: the e2e support's.
export { deletePrefix } from '../../e2e/redis/redis-test-support';

/** Deletes the results of these task ids. */
export async function deleteResults(ids: Iterable<string>): Promise<void> {
  const keys = [...ids].map((id) => `celery-task-meta-${id}`);
  if (keys.length === 0) return;
  const results = new Redis(RESULTS_URL);
  try {
    for (let i = 0; i < keys.length; i += 1000)
      await results.del(...keys.slice(i, i + 1000));
  } finally {
    results.disconnect();
  }
}
