import {
  RouteFunction,
  RouteTarget,
  TaskRoute,
  TaskRoutes,
} from '../options/route-options';
import { InvalidRouteError } from './errors';

/** The queue a call of `name` goes to by the routes, or null when no route says. */
export type Router = (
  name: string,
  args: readonly unknown[],
  kwargs: Readonly<Record<string, unknown>>,
) => string | null;

/**
 * Compiles the `routes` module option, as Celery's `task_routes` works
 * (celery/app/routes.py): each route in order, the first target wins. In a map an
 * exact name wins over patterns; a key with `*` is a glob (Python's fnmatch), matched
 * against the whole name; RegExp keys of a Map are patterns too. Throws
 * InvalidRouteError at bootstrap for a target that is not a queue name or `{ queue }`.
 */
export function compileRoutes(routes: TaskRoutes | null): Router {
  if (routes === null) return () => null;
  const list: readonly TaskRoute[] = Array.isArray(routes)
    ? (routes as readonly TaskRoute[])
    : [routes as TaskRoute];
  const compiled = list.map((route, index) => compileRoute(route, index));
  return (name, args, kwargs) => {
    for (const route of compiled) {
      const queue = route(name, args, kwargs);
      if (queue !== null) return queue;
    }
    return null;
  };
}

function compileRoute(route: TaskRoute, index: number): Router {
  if (typeof route === 'function') return fromFunction(route, index);
  if (route === null || typeof route !== 'object') {
    throw new InvalidRouteError(
      `routes[${index}] is ${JSON.stringify(route)}: give a map of task names to queues, or a function`,
    );
  }
  const entries: [string | RegExp, RouteTarget][] =
    route instanceof Map
      ? [...(route as ReadonlyMap<string | RegExp, RouteTarget>)]
      : Object.entries(route as Record<string, RouteTarget>);
  const exact = new Map<string, string>();
  const patterns: [RegExp, string][] = [];
  for (const [key, target] of entries) {
    const queue = queueOf(target, `route ${String(key)}`);
    if (key instanceof RegExp) patterns.push([key, queue]);
    else if (key.includes('*')) patterns.push([globToRegExp(key), queue]);
    else exact.set(key, queue);
  }
  return (name) => {
    const queue = exact.get(name);
    if (queue !== undefined) return queue;
    for (const [pattern, target] of patterns) {
      pattern.lastIndex = 0; // a /g or /y RegExp keeps state between tests
      if (pattern.test(name)) return target;
    }
    return null;
  };
}

function fromFunction(route: RouteFunction, index: number): Router {
  const where = `the route function ${route.name || `routes[${index}]`}`;
  return (name, args, kwargs) => {
    const target = route(name, args, kwargs);
    return target === null || target === undefined
      ? null
      : queueOf(target, `${where} for ${name}`);
  };
}

function queueOf(target: unknown, where: string): string {
  const queue =
    typeof target === 'string'
      ? target
      : target !== null && typeof target === 'object'
        ? (target as { queue?: unknown }).queue
        : undefined;
  if (typeof queue !== 'string' || queue === '') {
    throw new InvalidRouteError(
      `${where} gives ${describe(target)}: a route gives a queue name or { queue: 'name' }`,
    );
  }
  return queue;
}

function describe(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * Python's `fnmatch.translate`: `*` any run, `?` one character, `[abc]` / `[!abc]` a
 * set; everything else literal; the whole name must match.
 */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i];
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else if (char === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) {
        source += '\\[';
        continue;
      }
      let set = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
      if (set.startsWith('!')) set = `^${set.slice(1)}`;
      else if (set.startsWith('^')) set = `\\${set}`;
      source += `[${set}]`;
      i = end;
    } else source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^(?:${source})$`, 's');
}
