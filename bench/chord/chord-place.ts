import { REDIS_URL } from '../../test/support/redis-keys';

/** Where one chord run goes: its own queue and key prefix on the shared Redis. */
export interface ChordPlace {
  redisUrl: string;
  queue: string;
  prefix: string;
}

export function newChordPlace(system: string): ChordPlace {
  const id = `${process.pid}-${Date.now().toString(36)}`;
  return {
    redisUrl: REDIS_URL,
    queue: `bench-chord-${system}-${id}`,
    prefix: `${system}-chord-bench-${id}:`,
  };
}
