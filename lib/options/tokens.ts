/** Injection tokens of the concrete broker and result backend chosen from the options. */
export const TRANSPORT = Symbol('celeriac:transport');
export const RESULT_BACKEND = Symbol('celeriac:result-backend');
/** The options with every default filled in. */
export const RESOLVED_OPTIONS = Symbol('celeriac:resolved-options');
/** The transport's ControlBus (revoke broadcasts), or null when the broker has none. */
export const CONTROL_BUS = Symbol('celeriac:control-bus');
/** The transport's EventBus (Celery's `celeryev` events), or null when the broker has none. */
export const EVENT_BUS = Symbol('celeriac:event-bus');
/** Where revokes are kept for workers that start later, or null. */
export const REVOCATION_STORE = Symbol('celeriac:revocation-store');
/** The RateLimiter of fleet-wide limits, or null without a rateLimitStore. */
export const FLEET_RATE_LIMITER = Symbol('celeriac:fleet-rate-limiter');
/** The InlineRunner eager mode sends through (the worker's EagerRunner). */
export const INLINE_RUNNER = Symbol('celeriac:inline-runner');
/** The RateLimiter of per-worker limits (`rateLimit`): kept in this process's memory. */
export const LOCAL_RATE_LIMITER = Symbol('celeriac:local-rate-limiter');
/** The MonitoringEndpoint of this process (`/metrics` and `/health` on a port of its own). */
export const MONITORING_ENDPOINT = Symbol('celeriac:monitoring-endpoint');
