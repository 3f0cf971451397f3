import { randomUUID } from 'node:crypto';
import { TaskMessage, buildTaskMessage } from '../../lib/protocol';
import { Delivery } from '../../lib/transports/transport';

/** A Celery task message as the transport tests publish it. */
export function taskMessage(
  name = 'tests.noop',
  args: unknown[] = [],
  priority?: number,
): TaskMessage {
  return buildTaskMessage({
    name,
    id: randomUUID(),
    args,
    kwargs: {},
    origin: 'tests',
    priority,
  });
}

/** The first positional argument of a delivered task message. */
export function argOf(delivery: Delivery): unknown {
  return (JSON.parse(delivery.message!.body) as unknown[][])[0][0];
}
