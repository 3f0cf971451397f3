import {
  DELAY_LEVELS,
  MAX_DELAY_MS,
  delayBindingPattern,
  delayLevelArguments,
  delayRoutingKey,
} from '../../../../lib/transports/amqp/delay-scheme';

/** Which levels' queues a delay waits in, by matching the key as a topic exchange would. */
function levelsWaitedIn(delayMs: number): number[] {
  const words = delayRoutingKey(delayMs).split('.');
  const levels: number[] = [];
  for (let level = DELAY_LEVELS - 1; level >= 0; level--) {
    const pattern = delayBindingPattern(level, '1').split('.');
    if (pattern.every((word, i) => word === '*' || word === words[i]))
      levels.push(level);
  }
  return levels;
}

describe('delay levels', () => {
  it('waits in the levels of the delay’s bits, adding up to the delay', () => {
    for (const delay of [1, 2, 3, 600, 1000, 86_400_000, MAX_DELAY_MS]) {
      const total = levelsWaitedIn(delay).reduce(
        (sum, level) => sum + 2 ** level,
        0,
      );
      expect(total).toBe(delay);
    }
    expect(levelsWaitedIn(1000)).toEqual([9, 8, 7, 6, 5, 3]);
  });

  it('rounds up to the millisecond, never early, and caps at the longest delay', () => {
    expect(delayRoutingKey(0.2)).toBe(delayRoutingKey(1));
    expect(delayRoutingKey(MAX_DELAY_MS * 4)).toBe(
      delayRoutingKey(MAX_DELAY_MS),
    );
    expect(MAX_DELAY_MS).toBe(2 ** 32 - 1); // RabbitMQ's largest x-message-ttl
  });

  it('routes each level to its queue on 1 and to the next level on 0', () => {
    expect(delayBindingPattern(0, '1').split('.').at(-1)).toBe('1');
    expect(delayBindingPattern(DELAY_LEVELS - 1, '0').split('.')[0]).toBe('0');
    expect(
      delayBindingPattern(3, '1')
        .split('.')
        .filter((word) => word !== '*'),
    ).toEqual(['1']);
  });

  it('chains each level to the one below by dead-lettering, and level 0 to the exit', () => {
    const topology = { prefix: 'p', queueType: 'classic' as const };
    expect(delayLevelArguments(topology, 5)).toMatchObject({
      'x-message-ttl': { '!': 'int', value: 32 },
      'x-dead-letter-exchange': 'p.4',
    });
    expect(delayLevelArguments(topology, 0)['x-dead-letter-exchange']).toBe(
      'p.out',
    );
    expect(
      delayLevelArguments({ ...topology, queueType: 'quorum' }, 1),
    ).toMatchObject({
      'x-queue-type': 'quorum',
      'x-dead-letter-strategy': 'at-least-once',
      'x-overflow': 'reject-publish',
    });
  });
});
