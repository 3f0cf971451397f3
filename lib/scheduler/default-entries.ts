import { BACKEND_CLEANUP_TASK } from '../protocol';
import { ResultBackend } from '../results/result-backend';
import { ScheduleDefinition } from './schedule-definition';
import { toDefinition } from './to-definition';

/**
 * Celery's `install_default_entries` (celery/beat.py): when results expire
 * (`resultExpires` not 0) and the backend does not expire them itself (it has
 * `cleanup`), `celery.backend_cleanup` every day at 4:00 UTC, each run expiring after
 * 12 h, as Celery's entry. Beat adds it unless a schedule of that name exists.
 */
export function defaultEntries(
  backend: ResultBackend,
  resultExpiresSeconds: number,
): ScheduleDefinition[] {
  if (resultExpiresSeconds <= 0 || !backend.cleanup) return [];
  return [
    toDefinition({
      spec: { cron: '0 4 * * *' },
      name: BACKEND_CLEANUP_TASK,
      task: BACKEND_CLEANUP_TASK,
      expires: 12 * 3600,
      source: 'runtime',
      origin: `beat's default entry for the ${backend.kind} result backend (resultExpires)`,
    }),
  ];
}
