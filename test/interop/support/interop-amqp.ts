import {
  AMQP_URL,
  deleteDelayLevels,
  deleteQueues,
} from '../../support/amqp-broker';
import { uniqueName } from '../../support/wait';
import { REDIS_URL, RESULTS_URL } from './interop-redis';
import { CeleryConfig } from './python';

export { AMQP_URL };

/** The two result backends Celery offers with RabbitMQ, as both sides name them. */
export const AMQP_BACKENDS = [
  { label: 'the Redis backend', url: RESULTS_URL },
  { label: 'rpc://', url: 'rpc://' },
] as const;

/** The Celery app's configuration on RabbitMQ; tasks record in Redis behind `prefix`. */
export function amqpCeleryConfig(
  backendUrl: string,
  prefix: string,
  extra: Partial<CeleryConfig> = {},
): CeleryConfig {
  return {
    brokerUrl: AMQP_URL,
    backendUrl,
    storeUrl: REDIS_URL,
    // Only the records: kombu's AMQP transport has no key prefix.
    keyPrefix: prefix,
    ...extra,
  };
}

/**
 * What a test file made on RabbitMQ: its queues (with Celery's exchange of the same
 * name and `.dead`) and its own delay levels, deleted in afterAll.
 */
export function amqpNames(label: string) {
  const queues: string[] = [];
  const delayPrefix = uniqueName(`interop-delay-${label}`);
  return {
    delayPrefix,
    queue(name: string): string {
      const queue = uniqueName(name);
      queues.push(queue);
      return queue;
    },
    async cleanup(): Promise<void> {
      await deleteQueues(queues.splice(0));
      await deleteDelayLevels(delayPrefix);
    },
  };
}
