import { hostname as osHostname } from 'node:os';
import { InvalidNodeNameError } from './errors';

/** Celery's NODENAME_DEFAULT is `celery`; a Celeriac worker is `celeriac@<host>`. */
export const DEFAULT_NODE_PREFIX = 'celeriac';

/**
 * A worker's node name from the `nodeName` option, as Celery builds it from `-n`
 * (celery/utils/nodenames.py: `host_format(default_nodename(name))`): a name without
 * `@` is a host (`celeriac@<it>`), then `%h` (host name), `%n` (its part before the
 * first dot), `%d` (the domain after it), `%i` (process index: `0`, there is no pool
 * of processes), `%I` (empty) and `%%` are expanded. `%p` is Celeriac's own: the
 * process id, for one name per process (Celery has no such key for `-n`).
 */
export function formatNodeName(
  pattern: string | undefined,
  host: string = osHostname(),
  pid: number = process.pid,
): string {
  const raw = pattern ?? '';
  const at = raw.indexOf('@');
  const name = at < 0 ? '' : raw.slice(0, at);
  const hostPart = at < 0 ? raw : raw.slice(at + 1);
  const full = `${name || DEFAULT_NODE_PREFIX}@${hostPart || host}`;
  const dot = host.indexOf('.');
  const keys: Record<string, string> = {
    h: host,
    n: dot < 0 ? host : host.slice(0, dot),
    d: dot < 0 ? '' : host.slice(dot + 1),
    i: '0',
    I: '',
    p: String(pid),
    '%': '%',
  };
  return full.replace(/%(\w|%)/g, (_, key: string) => {
    const value = keys[key];
    if (value === undefined) throw new InvalidNodeNameError(raw, key);
    return value;
  });
}

/**
 * The names a worker tries in turn when the default one is taken: `celeriac@host`,
 * then `celeriac.<pid>@host`, then `celeriac.<pid>.2@host`, ...
 */
export function fallbackNodeName(base: string, attempt: number): string {
  if (attempt === 0) return base;
  const at = base.indexOf('@');
  const suffix = attempt === 1 ? `${process.pid}` : `${process.pid}.${attempt}`;
  return `${base.slice(0, at)}.${suffix}${base.slice(at)}`;
}
