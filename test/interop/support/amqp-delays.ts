import {
  DELAY_LEVELS,
  delayLevelName,
} from '../../../lib/transports/amqp/delay-scheme';
import { rawChannel } from '../../support/amqp-broker';

/**
 * Messages waiting in the delay levels of `prefix` (0 while they are not declared).
 * A message moving between two levels is in neither for an instant: poll this.
 * Any other failure rejects: a count of 0 must never stand for "could not look".
 */
export async function messagesInDelayLevels(prefix: string): Promise<number> {
  const { model, channel } = await rawChannel();
  try {
    // An absent level closes the channel with a 404: nothing is waiting there yet.
    channel.on('error', () => undefined);
    let total = 0;
    for (let level = 0; level < DELAY_LEVELS; level++) {
      const queue = delayLevelName(prefix, level);
      total += (await channel.checkQueue(queue)).messageCount;
    }
    return total;
  } catch (error) {
    // The levels are declared all at once (declareDelayTopology): a 404 is for all.
    if ((error as { code?: unknown }).code === 404) return 0;
    throw error;
  } finally {
    await model.close().catch(() => undefined);
  }
}
