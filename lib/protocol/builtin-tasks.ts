/**
 * Celery's built-in `celery.backend_cleanup` (celery/app/builtins.py): deletes the results
 * older than `result_expires` from a backend that does not expire them itself (the
 * database backend). Every Celery app registers it, and beat schedules it daily at 4:00.
 */
export const BACKEND_CLEANUP_TASK = 'celery.backend_cleanup';
