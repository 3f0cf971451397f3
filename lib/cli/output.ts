import Table from 'cli-table3';
import colors from 'picocolors';
import { NodeReplies } from '../index';
import { GlobalOptions } from './global-options';

/** Prints `data` as JSON with `--json`, else what `human` renders from it. */
export function emit<T>(
  globals: GlobalOptions,
  data: T,
  human: (data: T) => string,
): void {
  const text = globals.json ? JSON.stringify(data, null, 2) : human(data);
  if (text !== '') process.stdout.write(`${text}\n`);
}

/** A table with a coloured header. */
export function table(head: string[], rows: unknown[][]): string {
  const rendered = new Table({
    head: head.map((title) => colors.bold(colors.cyan(title))),
    style: { head: [], border: [] },
  });
  for (const row of rows) rendered.push(row.map(cell));
  return rendered.toString();
}

/** A cell: text as is, anything else as compact JSON; empty for null and undefined. */
export function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  return JSON.stringify(value);
}

/** Each node's reply to a control command: its `ok` in green, its `error` in red. */
export function repliesTable(
  replies: NodeReplies<{ ok?: unknown; error?: unknown }>,
): string {
  return table(
    ['node', 'reply'],
    Object.keys(replies)
      .sort()
      .map((node) => {
        const reply = replies[node] ?? {};
        return [
          node,
          'error' in reply
            ? colors.red(`error: ${cell(reply.error)}`)
            : colors.green(cell(reply.ok ?? reply)),
        ];
      }),
  );
}

/** Shortens `text` to `max` characters with an ellipsis. */
export function truncate(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export { colors };
