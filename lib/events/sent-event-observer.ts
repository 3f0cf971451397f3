import { TaskObserver } from '../lifecycle/task-observer';
import { TaskMessage } from '../protocol';
import { EventDispatcher } from './event-dispatcher';

/**
 * `task-sent` for each message the broker took, as Celery's producer sends it when
 * `task_send_sent_event` is on (module option `events: { sent: true }`).
 */
export class SentEventObserver implements TaskObserver {
  constructor(private readonly dispatcher: EventDispatcher) {}

  sent(message: TaskMessage, queue: string): void {
    const { headers } = message;
    this.dispatcher.send('task-sent', {
      uuid: headers.id,
      root_id: headers.root_id,
      parent_id: headers.parent_id,
      name: headers.task,
      args: headers.argsrepr,
      kwargs: headers.kwargsrepr,
      retries: headers.retries,
      eta: headers.eta,
      expires: headers.expires,
      queue,
      exchange: '',
      routing_key: queue,
    });
  }
}
