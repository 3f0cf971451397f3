import { RedisTransportOptions } from '../../../lib/transports/redis';
import { uniqueName } from '../../support/wait';

export { REDIS_URL, deletePrefix } from '../../support/redis-keys';

/** A key prefix no other test uses; every key a test makes starts with it. */
export function uniquePrefix(label: string): string {
  return `${uniqueName(`celeriac-test-${label}`)}:`;
}

/** Collects what the transport logs, so expected outages do not clutter the output. */
export function quietLogger(): NonNullable<RedisTransportOptions['logger']> & {
  lines: string[];
} {
  const lines: string[] = [];
  return {
    lines,
    warn: (message: string) => lines.push(`warn: ${message}`),
    error: (message: string) => lines.push(`error: ${message}`),
  };
}
