import {
  MemoryBroker,
  MemoryTransport,
} from '../../../../lib/transports/memory';
import { revokeMessage } from '../../../../lib/transports/control-bus';
import { describeTransportContract } from '../../../conformance/transport-contract';
import { uniqueName, waitUntil } from '../../../support/wait';

const broker = MemoryBroker.named('transport-contract');

describeTransportContract('memory', {
  create: async () => new MemoryTransport(broker),
  cleanup: async () => broker.purge(),
  redeliveryAfterMs: 0,
});

describe('control messages', () => {
  it('reaches every memory transport of a broker, as JSON, until unsubscribed', async () => {
    const broker = MemoryBroker.named(uniqueName('control'));
    const [a, b] = [new MemoryTransport(broker), new MemoryTransport(broker)];
    const heard: string[] = [];
    const subscription = await b.subscribeControl((message) =>
      heard.push(JSON.stringify(message.arguments)),
    );
    await a.broadcastControl(revokeMessage(['t1'], false));
    await waitUntil(() => heard.length === 1, 1000, 'the broadcast');
    await subscription.close();
    await a.broadcastControl(revokeMessage(['t2'], false));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(heard).toEqual([
      '{"task_id":"t1","terminate":false,"signal":"SIGTERM"}',
    ]);
    await Promise.all([a.close(), b.close()]);
    await expect(
      a.broadcastControl(revokeMessage(['t3'], false)),
    ).rejects.toThrow(/closed/);
  });
});

describe('memory dead letters', () => {
  it('are listed oldest first, decoded, and replayed onto their queue', async () => {
    const broker = MemoryBroker.named(uniqueName('dead'));
    const transport = new MemoryTransport(broker);
    broker.deadLetter(
      'q',
      '{"headers":{"id":"1"},"properties":{},"body":"[]"}',
      'first',
    );
    broker.deadLetter('other', '{}', 'elsewhere');
    broker.deadLetter('q', 'not json', 'second');
    const letters = await transport.listDeadLetters('q');
    expect(letters.map((letter) => letter.reason)).toEqual(['first', 'second']);
    expect(letters[0].message?.headers.id).toBe('1');
    expect(letters[1].decodeError).toBeInstanceOf(SyntaxError);
    expect(await transport.replayDeadLetters('q', 1)).toBe(1);
    expect(broker.size('q')).toBe(1);
    expect(
      (await transport.listDeadLetters('q')).map((letter) => letter.reason),
    ).toEqual(['second']);
    expect(await transport.replayDeadLetters('q')).toBe(1);
    expect(broker.deadLetters('other')).toHaveLength(1);
    await transport.close();
  });
});
