import { parseJson } from '../protocol/json';
import { DeadLetter } from '../transports/transport';

/** A dead letter as people read it: `celeriac dead-letters list` and the dashboard. */
export interface DeadLetterSummary {
  id: string | null;
  task: string | null;
  reason: string;
  /** ISO time it was dead-lettered, if the broker kept it. */
  at: string | null;
  /** From a JSON body `[args, kwargs, embed]`; null for another serializer. */
  args: unknown;
  kwargs: unknown;
  /** Why its envelope did not decode, when it did not. */
  decodeError: string | null;
}

/** Reads the parts of a dead letter that tell what it was and why it is there. */
export function summarizeDeadLetter(letter: DeadLetter): DeadLetterSummary {
  const [args, kwargs] = argumentsOf(letter.message?.body);
  return {
    id: letter.message?.headers.id ?? null,
    task: letter.message?.headers.task ?? null,
    reason: letter.reason,
    at: letter.at?.toISOString() ?? null,
    args,
    kwargs,
    decodeError: letter.decodeError?.message ?? null,
  };
}

function argumentsOf(body: string | undefined): [unknown, unknown] {
  if (body === undefined) return [null, null];
  try {
    const parsed = parseJson(body);
    if (Array.isArray(parsed)) return [parsed[0] ?? null, parsed[1] ?? null];
  } catch {
    // not JSON (another serializer): shown without its arguments
  }
  return [null, null];
}
