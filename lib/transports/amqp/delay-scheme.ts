import type { Channel } from 'amqplib';
import { amqpInt } from '../../drivers/amqp/amqp-int';

/**
 * Delays kept by RabbitMQ itself, with no process holding a message: binary levels of
 * TTL queues chained by dead-lettering (the idea of Celery 5.5's native delayed delivery,
 * at millisecond resolution).
 *
 * Level k is a topic exchange `<prefix>.k` and a queue `<prefix>.k` whose `x-message-ttl`
 * is 2^k ms and whose dead-letter exchange is level k-1 (level 0: `<prefix>.out`).
 * A delay of d ms is published to the top level with the destination queue as routing
 * key and, as `BCC`, a key of d's bits, highest first (`0.….0.1.1.1.1.1.0.1.0.0.0` for
 * 1000 ms). Each level exchange sends the message into its queue when its bit is 1 (it
 * waits 2^k ms there: one TTL per queue, so the head always expires first) and straight
 * on to the next level when it is 0; the queue's name, not 32 words long, matches no
 * level's pattern. `<prefix>.out` is a fanout into a queue with TTL 0 that dead-letters
 * to the default exchange with the message's original routing keys: the message lands on
 * its queue, whatever its name, without any per-queue binding, and is delivered with
 * that queue as its routing key, as if published there (Celery routes a retry by it).
 *
 * Precision: the delay is rounded up to the millisecond and never ends early; each hop
 * between levels adds about a millisecond (measured on RabbitMQ 3.10: 1 s lands 10-15 ms
 * late with classic levels, 15-25 ms with quorum ones). RabbitMQ caps a queue TTL at
 * 2^32 - 1 ms, so there are 32 levels and the longest delay is 2^32 - 1 ms (49.7 days);
 * a longer one waits that long and arrives with its `eta` still ahead, and the worker
 * defers it again.
 */
export const DELAY_LEVELS = 32;
export const MAX_DELAY_MS = 2 ** DELAY_LEVELS - 1;

export interface DelayTopology {
  prefix: string;
  queueType: 'classic' | 'quorum';
}

export function delayLevelName(prefix: string, level: number): string {
  return `${prefix}.${level}`;
}

export function delayExitName(prefix: string): string {
  return `${prefix}.out`;
}

/** Where a delayed message is published: the top level's exchange. */
export function delayEntryExchange(prefix: string): string {
  return delayLevelName(prefix, DELAY_LEVELS - 1);
}

/** The routing key for a delay: its bits, highest level first, one word each. */
export function delayRoutingKey(delayMs: number): string {
  const ms = Math.min(MAX_DELAY_MS, Math.max(0, Math.ceil(delayMs)));
  return ms.toString(2).padStart(DELAY_LEVELS, '0').split('').join('.');
}

/** The binding pattern at `level` for a bit value: that word fixed, every other `*`. */
export function delayBindingPattern(level: number, bit: '0' | '1'): string {
  const words = new Array<string>(DELAY_LEVELS).fill('*');
  words[DELAY_LEVELS - 1 - level] = bit;
  return words.join('.');
}

/** Queue arguments of a delay level. */
export function delayLevelArguments(
  topology: DelayTopology,
  level: number,
): Record<string, unknown> {
  const next =
    level === 0
      ? delayExitName(topology.prefix)
      : delayLevelName(topology.prefix, level - 1);
  return {
    'x-message-ttl': amqpInt(2 ** level),
    'x-dead-letter-exchange': next,
    ...quorumArguments(topology),
  };
}

function quorumArguments(topology: DelayTopology): Record<string, unknown> {
  if (topology.queueType !== 'quorum') return {};
  return {
    'x-queue-type': 'quorum',
    'x-dead-letter-strategy': 'at-least-once',
    'x-overflow': 'reject-publish',
  };
}

/** Declares every level, from the exit up, so each dead-letter target exists first. */
export async function declareDelayTopology(
  channel: Channel,
  topology: DelayTopology,
): Promise<void> {
  const { prefix } = topology;
  const exit = delayExitName(prefix);
  await channel.assertExchange(exit, 'fanout', { durable: true });
  await channel.assertQueue(exit, {
    durable: true,
    arguments: {
      'x-message-ttl': amqpInt(0),
      'x-dead-letter-exchange': '',
      ...quorumArguments(topology),
    },
  });
  await channel.bindQueue(exit, exit, '');
  for (let level = 0; level < DELAY_LEVELS; level++) {
    const name = delayLevelName(prefix, level);
    const skipTo = level === 0 ? exit : delayLevelName(prefix, level - 1);
    await channel.assertExchange(name, 'topic', { durable: true });
    await channel.assertQueue(name, {
      durable: true,
      arguments: delayLevelArguments(topology, level),
    });
    await channel.bindQueue(name, name, delayBindingPattern(level, '1'));
    await channel.bindExchange(skipTo, name, delayBindingPattern(level, '0'));
  }
}

/** Every exchange and queue name of the scheme (for tests and clean-up). */
export function delayObjectNames(prefix: string): string[] {
  const names = [delayExitName(prefix)];
  for (let level = 0; level < DELAY_LEVELS; level++)
    names.push(delayLevelName(prefix, level));
  return names;
}
