import { Command } from 'commander';
import { CeleryEvent } from '../../index';
import { CommandContext } from '../command-context';
import { CliError } from '../errors';
import { EXIT } from '../exit-codes';
import { countOf } from '../whole-number';
import { positiveNumber } from '../global-options';
import { colors } from '../output';
import { withSession } from '../session';

interface EventsFlags {
  type?: string;
  task?: string;
  dump?: boolean;
  duration?: string;
  limit?: string;
}

/** Task names by id, from task-sent / task-received: later events carry only the id. */
const MAX_NAMES = 10_000;

/**
 * `celeriac events`: a live tail of the fleet's Celery events (TaskEvents), Python
 * workers' and Nest workers' alike; filtered by type and task name; `--dump` prints them
 * as `celery events --dump` does, `--json` one JSON object a line.
 */
export function eventsCommand(context: CommandContext): Command {
  return new Command('events')
    .description('a live tail of the fleet events (celery events --dump)')
    .option(
      '--type <types>',
      'only these types, comma-separated; task-* and worker-* match a group',
    )
    .option('--task <names>', 'only the events of these tasks, comma-separated')
    .option('--dump', 'print as celery events --dump does')
    .option(
      '--duration <seconds>',
      'stop after this long (default: until Ctrl-C)',
    )
    .option('-n, --limit <count>', 'stop after this many events')
    .action(async (flags: EventsFlags, command: Command) => {
      const globals = context.globals(command);
      const matchesType = typeMatcher(flags.type);
      const tasks = listOf(flags.task);
      const limit =
        flags.limit === undefined ? undefined : countOf(flags.limit, '--limit');
      const durationMs =
        flags.duration === undefined
          ? undefined
          : positiveNumber(flags.duration, '--duration') * 1000;
      const names = new Map<string, string>();
      const dumped = new Map<string, string>();
      await withSession(
        globals,
        (session) =>
          new Promise<void>((resolve, reject) => {
            let seen = 0;
            let timer: NodeJS.Timeout | undefined;
            const done = () => {
              clearTimeout(timer);
              process.off('SIGINT', done);
              subscription.unsubscribe();
              resolve();
            };
            const subscription = session.events.events$.subscribe({
              next: (event) => {
                const name = remember(names, event);
                if (!matchesType(event.type)) return;
                if (tasks && !(name && tasks.includes(name))) return;
                const line = flags.dump
                  ? dumpLine(event, dumped)
                  : format(event, name, globals.json);
                process.stdout.write(`${line}\n`);
                if (limit !== undefined && ++seen >= limit) done();
              },
              error: (error: unknown) => {
                clearTimeout(timer);
                reject(
                  new CliError(
                    String((error as Error).message ?? error),
                    EXIT.failed,
                  ),
                );
              },
            });
            if (durationMs !== undefined) timer = setTimeout(done, durationMs);
            process.once('SIGINT', done);
            if (!globals.json && !flags.dump && process.stderr.isTTY) {
              process.stderr.write(
                colors.dim('listening for events (Ctrl-C to stop)\n'),
              );
            }
          }),
      );
    });
}

function remember(
  names: Map<string, string>,
  event: CeleryEvent,
): string | undefined {
  const uuid = typeof event.uuid === 'string' ? event.uuid : undefined;
  if (!uuid) return undefined;
  if (typeof event.name === 'string') {
    if (names.size >= MAX_NAMES) names.delete(names.keys().next().value!);
    names.set(uuid, event.name);
  }
  return names.get(uuid);
}

function format(
  event: CeleryEvent,
  name: string | undefined,
  json: boolean,
): string {
  if (json)
    return JSON.stringify(name && !event.name ? { ...event, name } : event);
  const time = new Date(event.timestamp * 1000).toISOString().slice(11, 23);
  const type = colourType(event.type);
  const task =
    typeof event.uuid === 'string' ? ` ${name ?? '?'}[${event.uuid}]` : '';
  const detail =
    event.type === 'task-succeeded'
      ? ` ${colors.dim(`${Number(event.runtime).toFixed(3)}s`)} ${String(event.result)}`
      : event.type === 'task-failed' || event.type === 'task-retried'
        ? ` ${colors.red(String(event.exception))}`
        : event.type === 'worker-heartbeat'
          ? colors.dim(
              ` active=${String(event.active ?? 0)} processed=${String(event.processed ?? 0)}`,
            )
          : '';
  return `${colors.dim(time)} ${type} ${event.hostname}${task}${detail}`;
}

/**
 * Celery's Dumper (celery/events/dumper.py): `<host> [<UTC time>] <what>: <task> <fields>`,
 * the task as `name(id) args=... kwargs=...`, remembered from task-received / task-sent.
 */
function dumpLine(event: CeleryEvent, dumped: Map<string, string>): string {
  const { timestamp, type, hostname, uuid, ...rest } = event;
  const fields = { ...rest } as Record<string, unknown>;
  delete fields.local_received;
  const when = pythonUtc(timestamp);
  const show = (keys: string[]) =>
    keys
      .sort()
      .map((key) => `${key}=${dumpValue(fields[key])}`)
      .join(', ');
  if (!type.startsWith('task-')) {
    const text = show(Object.keys(fields));
    return `${hostname} [${when}] ${humanType(type)}${text ? ':' : ''} ${text}`;
  }
  const id = String(uuid);
  let task = dumped.get(id) ?? '';
  if (type === 'task-received' || type === 'task-sent') {
    task = `${String(fields.name)}(${id}) args=${dumpValue(fields.args)} kwargs=${dumpValue(fields.kwargs)}`;
    for (const key of ['name', 'args', 'kwargs']) delete fields[key];
    if (dumped.size >= MAX_NAMES) dumped.delete(dumped.keys().next().value!);
    dumped.set(id, task);
  }
  const text = show(Object.keys(fields));
  return `${hostname} [${when}] ${humanType(type)}${text ? ':' : ''} ${task} ${text}`;
}

/** Python's str() of an aware UTC datetime: `2026-12-06 03:51:26.123456+00:00`. */
function pythonUtc(seconds: number): string {
  const iso = new Date(Math.floor(seconds * 1000)).toISOString();
  const micros = String(Math.round((seconds % 1) * 1e6)).padStart(6, '0');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${micros === '000000' ? '' : `.${micros.slice(0, 6)}`}+00:00`;
}

function humanType(type: string): string {
  const known: Record<string, string> = {
    'worker-offline': 'shutdown',
    'worker-online': 'started',
    'worker-heartbeat': 'heartbeat',
  };
  return known[type] ?? type.toLowerCase().replace(/-/g, ' ');
}

function dumpValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function colourType(type: string): string {
  if (type === 'task-succeeded') return colors.green(type);
  if (
    type === 'task-failed' ||
    type === 'task-revoked' ||
    type === 'task-rejected'
  )
    return colors.red(type);
  if (type.startsWith('worker-')) return colors.cyan(type);
  return colors.yellow(type);
}

function typeMatcher(text: string | undefined): (type: string) => boolean {
  const types = listOf(text);
  if (!types) return () => true;
  return (type) =>
    types.some((each) =>
      each.endsWith('*') ? type.startsWith(each.slice(0, -1)) : type === each,
    );
}

function listOf(text: string | undefined): string[] | undefined {
  const items = text
    ?.split(',')
    .map((each) => each.trim())
    .filter(Boolean);
  return items?.length ? items : undefined;
}
