import { DynamicModule, Provider, Type } from '@nestjs/common';
import Redis from 'ioredis';
import { TaskQueueModule, TaskQueueModuleOptions } from '../../lib';

/**
 * The dynamic module of a test app that child processes boot with the test's config:
 * TaskQueueModule on `options`, the config provided under `token`, and the app's
 * providers (its tasks and what they inject).
 */
export function taskAppModule<C>(parts: {
  module: Type;
  options: TaskQueueModuleOptions;
  token: symbol;
  config: C;
  providers: Provider[];
}): DynamicModule {
  return {
    module: parts.module,
    imports: [TaskQueueModule.forRoot(parts.options)],
    providers: [
      { provide: parts.token, useValue: parts.config },
      ...parts.providers,
    ],
  };
}

/**
 * The Redis where a test app's tasks note what they did: commands wait through an
 * outage rather than fail, and connection errors are not logged (a scenario may kill
 * the server). Disconnect it at the app's shutdown.
 */
export function recordsRedis(url: string): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  redis.on('error', () => undefined);
  return redis;
}
