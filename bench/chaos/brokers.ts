import { TaskQueueModuleOptions } from '../../lib';
import {
  AMQP_URL,
  deleteDelayLevels,
  deleteQueues,
} from '../../test/support/amqp-broker';
import { REDIS_URL } from '../../test/support/redis-keys';

/** The brokers the chaos scenarios run on. */
export type ChaosBroker = 'redis' | 'amqp';

/** A Redis lease short enough that a killed worker's tasks come back within seconds. */
const LEASE_MS = 3000;

/**
 * Module options for a scenario named `name`: its keys (Redis) or its delay levels and
 * connection names (RabbitMQ) start with `name`; no result backend (the tasks count
 * their own runs).
 */
export function chaosModule(
  broker: ChaosBroker,
  name: string,
  queue: string,
  url = broker === 'redis' ? REDIS_URL : AMQP_URL,
): TaskQueueModuleOptions {
  return broker === 'redis'
    ? {
        broker: url,
        defaultQueue: queue,
        brokerOptions: { keyPrefix: `${name}:`, leaseMs: LEASE_MS },
      }
    : {
        broker: url,
        defaultQueue: queue,
        brokerOptions: { delayPrefix: name, connectionName: name },
      };
}

/** Deletes what chaosModule's RabbitMQ side declared (Redis keys go with TaskLoad). */
export async function deleteChaosQueues(
  broker: ChaosBroker,
  name: string,
  queue: string,
): Promise<void> {
  if (broker !== 'amqp') return;
  await deleteQueues([queue]);
  await deleteDelayLevels(name);
}
