import {
  EventBus,
  EventMessage,
  jsonEventListBytes,
  openJsonEventList,
} from '../../lib/transports/event-bus';

/**
 * An EventBus that keeps what it is given, each `task.multi` list read back from the
 * JSON the memory and AMQP buses would send; `fail` makes every publish reject.
 */
export function recordingEventBus(fail = false): {
  bus: EventBus;
  published: { messages: EventMessage[]; hostname: string }[];
} {
  const published: { messages: EventMessage[]; hostname: string }[] = [];
  const settle = () =>
    fail ? Promise.reject(new Error('down')) : Promise.resolve();
  const bus: EventBus = {
    publishEvents: (messages, hostname) => {
      published.push({ messages: [...messages], hostname });
      return settle();
    },
    openEventList: openJsonEventList,
    publishEventLists: (lists, hostname) => {
      published.push({
        messages: lists.map((list) => ({
          routingKey: 'task.multi',
          body: JSON.parse(jsonEventListBytes(list).toString()) as Record<
            string,
            unknown
          >[],
        })),
        hostname,
      });
      return settle();
    },
    subscribeEvents: () => Promise.reject(new Error('not here')),
  };
  return { bus, published };
}
