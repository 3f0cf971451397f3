import { Injectable, LoggerService, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import Redis from 'ioredis';
import { Periodic, Task, TaskQueueModule } from '../../../lib';
import { uniqueName } from '../../support/wait';
import { REDIS_URL, deletePrefix, uniquePrefix } from './redis-test-support';

/** Records each line with its context. */
class RecordingLogger implements LoggerService {
  readonly lines: string[] = [];
  log(message: unknown, context?: string): void {
    this.lines.push(`${context}: ${String(message)}`);
  }
  warn(message: unknown, context?: string): void {
    this.log(message, context);
  }
  error(message: unknown, context?: string): void {
    this.log(message, context);
  }
  debug(message: unknown, context?: string): void {
    this.log(message, context);
  }
}

@Injectable()
class BootTasks {
  @Task('boot.tick')
  @Periodic({ every: '1h' })
  tick(): void {}
}

// Nest builds providers in create() (compile() in tests), before the app can install its
// logger: what Celeriac logged then would bypass it. Celeriac logs from onModuleInit on.
describe('what Celeriac logs while an app boots', () => {
  const keyPrefix = uniquePrefix('boot-logs');
  const admin = new Redis(REDIS_URL);

  afterAll(async () => {
    await deletePrefix(admin, keyPrefix);
    await admin.quit();
  });

  it('goes to the logger the app installs after create(), none of it before', async () => {
    @Module({
      imports: [
        TaskQueueModule.forRoot({
          broker: REDIS_URL,
          brokerOptions: { keyPrefix },
          defaultQueue: uniqueName('boot-logs'),
          worker: { nodeName: `${uniqueName('boot')}@%h` },
          events: true,
          failFast: true,
        }),
      ],
      providers: [BootTasks],
    })
    class AppModule {}
    const beforeInstalled = new RecordingLogger();
    const installed = new RecordingLogger();
    const app = await NestFactory.create(AppModule, {
      logger: beforeInstalled,
    });
    app.useLogger(installed);
    await app.init();
    await app.close();
    const contexts = new Set(
      beforeInstalled.lines.map((line) => line.split(':')[0]),
    );
    expect([...contexts].sort()).toEqual(['InstanceLoader', 'NestFactory']);
    expect(installed.lines).toEqual(
      expect.arrayContaining([
        'TaskQueue: Registered 1 task(s)',
        expect.stringMatching(/^TaskWorker: Consuming /) as unknown,
      ]),
    );
  });
});
