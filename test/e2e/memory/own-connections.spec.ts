import { Injectable } from '@nestjs/common';
import {
  BeatConfigurationError,
  ConsumeOptions,
  Consumer,
  Delivery,
  Periodic,
  ResultBackend,
  ResultMeta,
  StoreContext,
  Task,
  TaskClient,
  TaskMessage,
  Transport,
  UnknownOptionError,
} from '../../../lib';
import { MemoryResultBackend } from '../../../lib/results/memory/memory-result-backend';
import { MemoryTransport } from '../../../lib/transports/memory';
import { uniqueName } from '../../support/wait';
import { TestApps } from '../../support/test-apps';

/** An app's own transport: here it counts, and hands the work to a memory broker. */
class CountingTransport implements Transport {
  readonly kind = 'counting';
  published = 0;
  closed = false;
  private readonly inner: Transport;

  constructor(name: string) {
    this.inner = MemoryTransport.fromUrl(`memory://${name}`);
  }

  async publish(queue: string, message: TaskMessage): Promise<void> {
    this.published++;
    await this.inner.publish(queue, message);
  }

  consume(
    queues: readonly string[],
    onDelivery: (delivery: Delivery) => void,
    options: ConsumeOptions,
  ): Promise<Consumer> {
    return this.inner.consume(queues, onDelivery, options);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.inner.close();
  }
}

/** An app's own result backend: it records what is stored. */
class RecordingBackend implements ResultBackend {
  readonly kind = 'recording';
  readonly stored: string[] = [];
  closed = false;
  private readonly inner: ResultBackend;

  constructor(name: string) {
    this.inner = new MemoryResultBackend(name);
  }

  async store(meta: ResultMeta, context?: StoreContext): Promise<void> {
    this.stored.push(meta.status);
    await this.inner.store(meta, context);
  }

  get(taskId: string): Promise<ResultMeta | undefined> {
    return this.inner.get(taskId);
  }

  waitForReady(
    taskId: string,
    timeoutMs: number,
    onUpdate?: (meta: ResultMeta) => void,
  ): Promise<ResultMeta | undefined> {
    return this.inner.waitForReady(taskId, timeoutMs, onUpdate);
  }

  forget(taskId: string): Promise<void> {
    return this.inner.forget(taskId);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.inner.close();
  }
}

@Injectable()
class MathTasks {
  @Task('own.add')
  add(a: number, b: number): number {
    return a + b;
  }
}

@Injectable()
class Ticker {
  @Periodic({ every: 60, name: 'own.tick' })
  tick(): void {}
}

describe('an app’s own Transport and ResultBackend, given instead of URLs', () => {
  const apps = new TestApps();
  afterEach(() => apps.close());

  it('carry the tasks and their results, and the module closes them at shutdown', async () => {
    const transport = new CountingTransport(uniqueName('own'));
    const backend = new RecordingBackend(uniqueName('own'));
    const app = await apps.open(
      { broker: transport, backend, worker: true },
      { providers: [MathTasks] },
    );
    const result = await app.get(TaskClient).send('own.add', [2, 3]);
    expect(await result.get({ timeout: 5 })).toBe(5);
    expect(transport.published).toBe(1);
    expect(backend.stored).toEqual(['SUCCESS']);
    await app.close();
    expect([transport.closed, backend.closed]).toEqual([true, true]);
  });

  it('an own transport needs a backend, takes no brokerOptions, and beat needs a lockUrl', async () => {
    const transport = () => new CountingTransport(uniqueName('own'));
    await expect(apps.open({ broker: transport() })).rejects.toThrow(
      /the broker is a transport of your own, so there is no default result backend: give `backend`/,
    );
    await expect(
      apps.open({
        broker: transport(),
        backend: 'memory://',
        brokerOptions: { keyPrefix: 'x:' },
      }),
    ).rejects.toThrow(
      new UnknownOptionError(
        'brokerOptions.keyPrefix',
        'a broker instance',
        [],
      ),
    );
    await expect(
      apps.open(
        { broker: transport(), backend: 'memory://', beat: true },
        { providers: [Ticker] },
      ),
    ).rejects.toThrow(BeatConfigurationError);
    await expect(
      apps.open(
        { broker: transport(), backend: 'memory://', beat: true },
        { providers: [Ticker] },
      ),
    ).rejects.toThrow(/transport of your own: give lockUrl/);
    const withLock = await apps.open(
      {
        broker: transport(),
        backend: 'memory://',
        beat: { lockUrl: `memory://${uniqueName('lock')}` },
      },
      { providers: [Ticker] },
    );
    await withLock.close();
  });

  it('refuses an object that is not a Transport, naming what it lacks', async () => {
    await expect(
      apps.open({ broker: { kind: 'x' } as unknown as Transport }),
    ).rejects.toThrow(
      'broker must be a URL or a Transport; this one lacks publish, consume, close',
    );
  });
});
