import { Injectable } from '@nestjs/common';
import {
  MessageTooLargeError,
  Task,
  TaskClient,
  TaskFailedError,
} from '../../lib';
import { BROKERS_AND_BACKENDS, interopBroker } from './support/brokers';
import { nestApp } from './support/nest-app';

@Injectable()
class SizedTasks {
  @Task('size.length')
  length(text: string): number {
    return text.length;
  }

  @Task('size.make')
  make(length: number): string {
    return 'z'.repeat(length);
  }
}

const LIMIT = 64 * 1024;

/**
 * Size limits: a message over brokerOptions.maxMessageSize is refused at send, a
 * result over backendOptions.maxResultSize becomes the task's FAILURE, both with
 * MessageTooLargeError naming the size and the limit.
 */
describe.each(BROKERS_AND_BACKENDS)('size limits on $label', (setup) => {
  const broker = interopBroker(setup, 'size');
  const queue = broker.queue('size');
  let client: TaskClient;

  beforeAll(async () => {
    const app = await nestApp(
      broker.nestOptions({
        defaultQueue: queue,
        worker: { queues: [queue], concurrency: 2 },
        brokerOptions: { maxMessageSize: LIMIT },
        backendOptions: { maxResultSize: LIMIT },
      }),
      [SizedTasks],
    );
    client = app.get(TaskClient);
  });

  afterAll(() => broker.cleanup());

  it('refuses a message over maxMessageSize at send, naming its size and the limit', async () => {
    const sending = client.send('size.length', [randomText(LIMIT + 1000)]);
    await expect(sending).rejects.toThrow(MessageTooLargeError);
    await expect(sending).rejects.toThrow(
      new RegExp(
        `^task size\\.length\\[[0-9a-f-]+\\] to "${queue}" is \\d+ bytes \\(0\\.\\d MiB\\), over the limit of ${LIMIT} bytes \\(0\\.1 MiB, the option brokerOptions\\.maxMessageSize\\)`,
      ),
    );
    const error = (await sending.catch(
      (e: unknown) => e,
    )) as MessageTooLargeError;
    expect(error.size).toBeGreaterThan(LIMIT);
    expect(error.limit).toBe(LIMIT);
  });

  it('sends the same size compressed, under the limit, and it runs', async () => {
    const text = 'ab'.repeat(LIMIT);
    const result = await client.send<number>('size.length', [text], {
      compression: 'gzip',
    });
    broker.sent.add(result.id);
    expect(await result.get({ timeout: 20 })).toBe(text.length);
  });

  it('stores a result over maxResultSize as FAILURE MessageTooLargeError, not as a requeue', async () => {
    const result = await client.send<string>('size.make', [LIMIT * 2]);
    broker.sent.add(result.id);
    const getting = result.get({ timeout: 20 });
    await expect(getting).rejects.toThrow(TaskFailedError);
    await expect(getting).rejects.toThrow(
      /MessageTooLargeError.*over the limit of 65536 bytes.*backendOptions\.maxResultSize/,
    );
    expect(await result.state()).toBe('FAILURE');
  });

  it('a result under the limit is stored as it is', async () => {
    const result = await client.send<string>('size.make', [1000]);
    broker.sent.add(result.id);
    expect(await result.get({ timeout: 20 })).toBe('z'.repeat(1000));
  });
});

/** Text that does not compress, so only its size decides. */
function randomText(length: number): string {
  let text = '';
  while (text.length < length) text += Math.random().toString(36).slice(2);
  return text.slice(0, length);
}
