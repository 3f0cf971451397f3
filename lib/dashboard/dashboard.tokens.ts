/** The dashboard's resolved options (`TaskQueueDashboardOptions` with defaults). */
export const DASHBOARD_OPTIONS = Symbol('celeriac:dashboard-options');
/** Where the dashboard reads the fleet from (a `WorkerSource`). */
export const DASHBOARD_WORKERS = Symbol('celeriac:dashboard-workers');
/** What the dashboard may do to a queue beyond reading it (a `QueueActions`), or null. */
export const DASHBOARD_QUEUE_ACTIONS = Symbol(
  'celeriac:dashboard-queue-actions',
);
/** The recent-task history (a `TaskHistory`), or null when the option turned it off. */
export const DASHBOARD_HISTORY = Symbol('celeriac:dashboard-history');
