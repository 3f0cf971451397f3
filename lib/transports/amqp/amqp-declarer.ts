import type { Channel } from 'amqplib';
import {
  AmqpConnection,
  LiveConnection,
} from '../../drivers/amqp/amqp-connection';
import {
  CeleryQueueSettings,
  celeryQueueArguments,
  declareCeleryQueue,
  declareDeadLetterQueue,
} from './celery-declarations';
import { DelayTopology, declareDelayTopology } from './delay-scheme';
import {
  bindToCeleryDelayedDelivery,
  declareCeleryDelayedDelivery,
} from './celery-delayed-delivery';

/** Celery 5.5's delayed-delivery levels: their queue type and name prefix. */
export interface CeleryDelayTopology {
  queueType: 'classic' | 'quorum';
  prefix?: string;
}
import {
  AmqpRefusedError,
  AmqpUnavailableError,
  isServerRefusal,
} from '../../drivers/amqp/errors';

interface Declared {
  generation: number;
  pending: boolean;
  done: Promise<void>;
}

/**
 * Declares queues and exchanges once per connection, on a channel of its own (a refused
 * declaration closes its channel; publishing and consuming go on). A declaration is
 * redone after a reconnection, and retried until the deadline while the broker is away.
 */
export class AmqpDeclarer {
  private readonly declared = new Map<string, Declared>();
  private channel: { channel: Channel; generation: number } | undefined;
  private opening: Promise<Channel> | undefined;

  constructor(
    private readonly connection: AmqpConnection,
    private readonly settingsOf: (queue: string) => CeleryQueueSettings,
    private readonly delay: DelayTopology,
    private readonly celeryDelay: CeleryDelayTopology = { queueType: 'quorum' },
  ) {}

  /**
   * The queue, its exchange and binding, as Celery declares them; with Celery 5.5's
   * delayed delivery, also its levels and the queue's bindings to them, as a Celery 5.5
   * worker makes them.
   */
  celeryQueue(queue: string, deadline: number): Promise<void> {
    const settings = this.settingsOf(queue);
    return this.ensure(`queue:${queue}`, deadline, async (channel) => {
      await declareCeleryQueue(channel, queue, settings).catch(
        (error: unknown) => {
          throw refusal(error, `queue ${JSON.stringify(queue)}`, settings);
        },
      );
      if (!settings.celeryDelays) return;
      await this.celeryDelayTopology(deadline);
      await bindToCeleryDelayedDelivery(
        channel,
        queue,
        this.celeryDelay.prefix,
      );
    });
  }

  /** Celery 5.5's `celery_delayed_*` levels, once per connection. */
  celeryDelayTopology(deadline: number): Promise<void> {
    return this.ensure('celery-delay', deadline, (channel) =>
      declareCeleryDelayedDelivery(
        channel,
        this.celeryDelay.queueType,
        this.celeryDelay.prefix,
      ).catch((error: unknown) => {
        throw refusal(
          error,
          `Celery's delayed-delivery levels celery_delayed_*`,
        );
      }),
    );
  }

  deadLetterQueue(name: string, deadline: number): Promise<void> {
    return this.ensure(`dead:${name}`, deadline, (channel) =>
      declareDeadLetterQueue(channel, name).catch((error: unknown) => {
        throw refusal(error, `dead-letter queue ${JSON.stringify(name)}`);
      }),
    );
  }

  delayTopology(deadline: number): Promise<void> {
    return this.ensure('delay', deadline, (channel) =>
      declareDelayTopology(channel, this.delay).catch((error: unknown) => {
        throw refusal(error, `delay levels ${this.delay.prefix}.*`);
      }),
    );
  }

  /** True when the queue is declared on the current connection (no await needed). */
  hasCeleryQueue(queue: string): boolean {
    const known = this.declared.get(`queue:${queue}`);
    return (
      known !== undefined &&
      !known.pending &&
      known.generation === this.connection.current?.generation
    );
  }

  /** Forgets what was declared (one queue, or everything) so it is declared again. */
  forget(queue?: string): void {
    if (queue === undefined) this.declared.clear();
    else this.declared.delete(`queue:${queue}`);
  }

  private ensure(
    key: string,
    deadline: number,
    declare: (channel: Channel) => Promise<void>,
  ): Promise<void> {
    const live = this.connection.current;
    const known = this.declared.get(key);
    if (known && (known.pending || known.generation === live?.generation))
      return known.done;
    const entry: Declared = {
      generation: -1,
      pending: true,
      done: Promise.resolve(),
    };
    entry.done = this.declareUntil(deadline, declare, entry).then(
      () => {
        entry.pending = false;
      },
      (error: unknown) => {
        entry.pending = false;
        if (this.declared.get(key) === entry) this.declared.delete(key);
        throw error;
      },
    );
    this.declared.set(key, entry);
    return entry.done;
  }

  private async declareUntil(
    deadline: number,
    declare: (channel: Channel) => Promise<void>,
    entry: Declared,
  ): Promise<void> {
    for (;;) {
      const live = await this.connection.get(deadline);
      entry.generation = live.generation;
      try {
        await declare(await this.channelOf(live));
        return;
      } catch (error) {
        if (error instanceof AmqpRefusedError) throw error;
        if (Date.now() >= deadline) {
          throw new AmqpUnavailableError(
            `could not declare on ${this.connection.target.display}: ${(error as Error).message}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  private async channelOf(live: LiveConnection): Promise<Channel> {
    if (this.channel?.generation === live.generation)
      return this.channel.channel;
    if (!this.opening) {
      this.opening = live.model
        .createChannel()
        .then((channel) => {
          const current = { channel, generation: live.generation };
          channel.on('error', () => undefined); // reported by the refused declaration
          channel.on('close', () => {
            if (this.channel === current) this.channel = undefined;
          });
          this.channel = current;
          return channel;
        })
        .finally(() => {
          this.opening = undefined;
        });
    }
    return this.opening;
  }
}

function refusal(
  error: unknown,
  what: string,
  settings?: CeleryQueueSettings,
): unknown {
  if (!isServerRefusal(error)) return error;
  const args = Object.entries(celeryQueueArguments(settings))
    .map(([name, value]) => `${name} ${JSON.stringify(valueOf(value))}`)
    .join(', ');
  const hint = args
    ? ` Celeriac declares it as Celery does: durable, ${args}.`
    : ' Celeriac declares it as Celery does: durable, no arguments (set `queues.<name>.maxPriority` for a priority queue, `queues.<name>.queueType` for a quorum queue).';
  return new AmqpRefusedError(
    `RabbitMQ refused to declare ${what}: ${(error as Error).message}.${what.startsWith('queue') ? hint : ''}`,
  );
}

/** A queue argument's plain value (amqpInt wraps numbers in a typed field). */
function valueOf(value: unknown): unknown {
  return value !== null && typeof value === 'object' && 'value' in value
    ? value.value
    : value;
}
