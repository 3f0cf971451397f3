/** Where a route sends a task: a queue name, or `{ queue }` (Celery's route dict). */
export type RouteTarget = string | { queue: string };

/**
 * A router function (Celery's `route_task(name, args, kwargs, options)`): the target
 * of this call, or null/undefined to let the next route decide.
 */
export type RouteFunction = (
  name: string,
  args: readonly unknown[],
  kwargs: Readonly<Record<string, unknown>>,
) => RouteTarget | null | undefined;

/**
 * Task names to targets, as Celery's `task_routes` dict: an exact name
 * (`'billing.charge'`), or a glob when the key has a `*` (`'billing.*'`; `?` and
 * `[abc]` work as in Python's fnmatch then). Exact names win; globs are tried in order.
 * A Map may also have RegExp keys (tested with `.test(name)`), tried in order with the globs.
 */
export type RouteMap =
  | Readonly<Record<string, RouteTarget>>
  | ReadonlyMap<string | RegExp, RouteTarget>;

/** One route: a map or a function. */
export type TaskRoute = RouteMap | RouteFunction;

/**
 * The `routes` module option (Celery's `task_routes`): one route, or a list tried in
 * order until one gives a target.
 */
export type TaskRoutes = TaskRoute | readonly TaskRoute[];
