import {
  MalformedMessageError,
  TaskRequest,
  parseTaskMessage,
} from '../protocol';
import { Delivery } from '../transports/transport';

/** A delivery's task request, or why it cannot be read (then it is dead-lettered). */
export type Decoded =
  { ok: true; request: TaskRequest } | { ok: false; reason: string };

export function decodeDelivery(delivery: Delivery): Decoded {
  if (!delivery.message) {
    return {
      ok: false,
      reason: `envelope does not decode: ${delivery.decodeError?.message ?? 'unknown reason'}`,
    };
  }
  try {
    return { ok: true, request: parseTaskMessage(delivery.message) };
  } catch (error) {
    if (!(error instanceof MalformedMessageError)) throw error;
    return { ok: false, reason: error.message };
  }
}
