import { LogLevel, LoggerService, ModuleMetadata } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { TaskQueueModule, TaskQueueModuleOptions } from '../../lib';
import { ConnectionsLifecycle } from '../../lib/module/connections-lifecycle.service';
import { AMQP_URL } from './amqp-broker';
import { REDIS_URL } from './redis-keys';

/** How a test app is set up, beyond its modules and providers. */
export interface AppSetup {
  /** What Nest's loggers write to (a list of levels, or false for nothing). */
  logger?: LoggerService | LogLevel[] | false;
  /** Runs once the module is compiled, before init (e.g. holdResultStores). */
  beforeInit?: (app: TestingModule) => void;
}

/** What goes beside TaskQueueModule in a test app. */
export interface AppParts extends AppSetup {
  providers?: ModuleMetadata['providers'];
  imports?: ModuleMetadata['imports'];
  controllers?: ModuleMetadata['controllers'];
}

/**
 * Compiles and initialises a testing module. When init fails, Nest's close() rethrows
 * and runs no shutdown hook: the broker and backend connections are closed here, or
 * they would keep the test process alive.
 */
export async function startTestingModule(
  metadata: ModuleMetadata,
  setup: AppSetup = {},
): Promise<TestingModule> {
  const app = await Test.createTestingModule(metadata).compile();
  if (setup.logger !== undefined) app.useLogger(setup.logger);
  setup.beforeInit?.(app);
  try {
    await app.init();
  } catch (error) {
    await closeConnections(app);
    throw error;
  }
  return app;
}

async function closeConnections(app: TestingModule): Promise<void> {
  let connections: ConnectionsLifecycle;
  try {
    connections = app.get(ConnectionsLifecycle, { strict: false });
  } catch {
    return; // no TaskQueueModule in it
  }
  await connections.onApplicationShutdown();
}

/**
 * The Nest apps of a test file, a describe block or a test, on one set of
 * TaskQueueModule options: `open()` starts one, the options it is given taking over
 * the defaults key by key; `close()` closes every app still open (call it in
 * afterAll or afterEach, before deleting what the apps made).
 */
export class TestApps {
  private readonly apps = new Set<TestingModule>();

  constructor(
    private readonly defaults:
      TaskQueueModuleOptions | (() => TaskQueueModuleOptions) = {},
  ) {}

  /** An app with TaskQueueModule on these options, and `parts` beside it. */
  open(
    options: TaskQueueModuleOptions = {},
    parts: AppParts = {},
  ): Promise<TestingModule> {
    const defaults =
      typeof this.defaults === 'function' ? this.defaults() : this.defaults;
    const { providers = [], imports = [], controllers = [], ...setup } = parts;
    return this.openModule(
      {
        imports: [
          TaskQueueModule.forRoot({ ...defaults, ...options }),
          ...imports,
        ],
        providers,
        controllers,
      },
      setup,
    );
  }

  /** An app of a module the test builds itself (a fixture module that holds TaskQueueModule). */
  async openModule(
    metadata: ModuleMetadata,
    setup: AppSetup = {},
  ): Promise<TestingModule> {
    const app = await startTestingModule(metadata, setup);
    this.apps.add(app);
    const close = app.close.bind(app);
    app.close = async () => {
      this.apps.delete(app);
      await close();
    };
    return app;
  }

  /** Closes every app still open; one that fails to close does not keep the others open. */
  async close(): Promise<void> {
    const apps = [...this.apps];
    this.apps.clear();
    await Promise.allSettled(apps.map((app) => app.close()));
  }
}

/**
 * TaskQueueModule on the test Redis: broker keys and results (db 1) behind `keyPrefix`,
 * which `deletePrefix` removes afterwards.
 */
export function onRedis(
  keyPrefix: string,
  defaultQueue?: string,
): TaskQueueModuleOptions {
  return {
    broker: REDIS_URL,
    backend: `${REDIS_URL}/1`,
    defaultQueue,
    brokerOptions: { keyPrefix },
    backendOptions: { keyPrefix },
  };
}

/** TaskQueueModule with broker and results on the Redis at `url` (its db), keys under `keyPrefix`. */
export function onRedisAt(
  url: string,
  keyPrefix: string,
  defaultQueue?: string,
): TaskQueueModuleOptions {
  return {
    broker: url,
    backend: url,
    defaultQueue,
    brokerOptions: { keyPrefix },
    backendOptions: { keyPrefix },
  };
}

/**
 * TaskQueueModule on the test RabbitMQ, its delay levels named after `delayPrefix`
 * (`deleteDelayLevels` removes them); results over rpc:// unless `backend` says.
 */
export function onRabbitMq(
  delayPrefix: string,
  defaultQueue?: string,
  backend?: string,
): TaskQueueModuleOptions {
  return {
    broker: AMQP_URL,
    backend,
    defaultQueue,
    brokerOptions: { delayPrefix },
  };
}
