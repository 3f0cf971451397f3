import { TaskEmbed } from '../protocol';

/**
 * The parts of a Celery canvas a message carries that Celeriac does not run yet (the
 * rest of a chain, `link` callbacks, `link_error` errbacks, a chord's body), as a
 * phrase for the worker's warning; undefined when it carries none. The task itself
 * runs; what should follow it does not, so the worker says so instead of dropping it
 * silently.
 */
export function unsupportedCanvas(embed: TaskEmbed | null): string | undefined {
  if (!embed) return undefined;
  const count = (value: unknown) => (Array.isArray(value) ? value.length : 0);
  const parts: string[] = [];
  const chain = count(embed.chain);
  if (chain > 0) parts.push(`the rest of a chain (${chain} more task(s))`);
  const callbacks = count(embed.callbacks);
  if (callbacks > 0) parts.push(`${callbacks} link callback(s)`);
  const errbacks = count(embed.errbacks);
  if (errbacks > 0) parts.push(`${errbacks} link_error errback(s)`);
  if (embed.chord !== null && embed.chord !== undefined)
    parts.push("a chord's body");
  return parts.length > 0 ? parts.join(', ') : undefined;
}
