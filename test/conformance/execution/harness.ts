import { ModuleMetadata, Provider } from '@nestjs/common';
import { TestingModule } from '@nestjs/testing';
import {
  TaskClient,
  TaskQueueModuleOptions,
  WorkerOptions,
} from '../../../lib';
import { TestApps } from '../../support/test-apps';
import { uniqueName } from '../../support/wait';

/**
 * What a broker gives the execution suite: where to connect, and how to clean up.
 * A broker's spec is five lines: `describeExecutionContract('redis', { connection:
 * () => ({ broker: REDIS_URL }), cleanup: (queues) => ... })`.
 */
export interface ExecutionHarness {
  /**
   * The connection options of one test (broker, backend, rateLimitStore...); every app
   * of that test (producer, workers) shares them.
   */
  connection(): TaskQueueModuleOptions;
  /** Deletes what the broker and backend keep for these queues, after each test. */
  cleanup(queues: string[]): Promise<void>;
  /**
   * Capabilities this broker does not have yet (their tests are skipped, and say so):
   * 'revoke' needs a ControlBus and a RevocationStore, 'dead-letters' DeadLetterAccess,
   * 'kept-revokes' a RevocationStore (revokes outliving the broadcast).
   * Temporary: a broker drops an entry when it implements the contract.
   */
  notYet?: Capability[];
  /** Why, for each entry of `notYet` (shown in the skipped test's title). */
  because?: Partial<Record<Capability, string>>;
}

export type Capability = 'revoke' | 'dead-letters' | 'kept-revokes';

/** `describe`, or `describe.skip` with the reason when the broker lacks `capability`. */
export function describeIf(
  harness: ExecutionHarness,
  capability: Capability,
  title: string,
  body: () => void,
): void {
  if (harness.notYet?.includes(capability)) {
    describe.skip(`${title} (${notYetReason(harness, capability)})`, body);
  } else {
    describe(title, body);
  }
}

/** `it`, or `it.skip` with the reason when the broker lacks `capability`. */
export function itIf(
  harness: ExecutionHarness,
  capability: Capability,
  title: string,
  body: () => Promise<void>,
): void {
  if (harness.notYet?.includes(capability)) {
    it.skip(`${title} (${notYetReason(harness, capability)})`, body);
  } else {
    it(title, body);
  }
}

function notYetReason(harness: ExecutionHarness, capability: Capability) {
  return `not yet on this broker${harness.because?.[capability] ? `: ${harness.because[capability]}` : ''}`;
}

export interface AppOptions extends Omit<TaskQueueModuleOptions, 'worker'> {
  /** The app's worker (on the test's queue unless it says); false for a producer only. */
  worker?: WorkerOptions | false;
  imports?: ModuleMetadata['imports'];
}

/** One test's world: its own queue, and the apps it opened (closed after it). */
export class ExecutionFixture {
  readonly queue = uniqueName('exec');
  private readonly queues = [this.queue];
  private readonly apps = new TestApps();
  private readonly connection: TaskQueueModuleOptions;

  constructor(private readonly harness: ExecutionHarness) {
    this.connection = harness.connection();
  }

  /** Another queue of this test (cleaned up with it). */
  otherQueue(): string {
    const name = uniqueName('exec');
    this.queues.push(name);
    return name;
  }

  /** A Nest app with these providers on the test's broker, consuming the test's queue. */
  app(providers: Provider[], options: AppOptions = {}): Promise<TestingModule> {
    const { worker, imports, ...rest } = options;
    return this.apps.open(
      {
        ...this.connection,
        defaultQueue: this.queue,
        worker:
          worker === false
            ? false
            : {
                queues: [this.queue],
                concurrency: 4,
                shutdownTimeout: 0.3,
                ...worker,
              },
        ...rest,
      },
      { providers, imports },
    );
  }

  /** The client of an app. */
  client(app: TestingModule): TaskClient {
    return app.get(TaskClient);
  }

  async close(): Promise<void> {
    await this.apps.close();
    await this.harness.cleanup(this.queues);
  }
}

/** A fresh fixture per test, closed after it (even when the test failed). */
export function useExecutionFixture(
  harness: ExecutionHarness,
): () => ExecutionFixture {
  let fixture: ExecutionFixture | undefined;
  beforeEach(() => {
    fixture = new ExecutionFixture(harness);
  });
  afterEach(async () => {
    await fixture?.close();
    fixture = undefined;
  });
  return () => fixture!;
}
