import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TaskClient, TaskFailedError, TaskQueueModule } from '../../lib';
import { loadConfig } from './config';

/**
 * `npx nest start call-python`: calls tasks written in Python, by name, and waits for
 * their results (docs/interop.md). A Celery worker must consume PY_QUEUE (default `py`)
 * with the tasks `py.add` and `py.divide`, on BROKER_URL, storing results in
 * RESULT_BACKEND.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.brokerUrl)
    throw new Error('set BROKER_URL (redis:// or amqp://)');
  const pyQueue = process.env.PY_QUEUE ?? 'py';

  @Module({
    imports: [
      TaskQueueModule.forRoot({
        broker: config.brokerUrl,
        backend: config.resultBackend,
      }),
    ],
  })
  class CallPythonModule {}

  const app = await NestFactory.createApplicationContext(CallPythonModule, {
    logger: ['error', 'warn'],
  });
  const client = app.get(TaskClient);
  try {
    const sum = await client.send<number>('py.add', [2, 3], { queue: pyQueue });
    console.log(`py.add(2, 3) = ${await sum.get({ timeout: 10 })}`);

    const later = await client.send<number>('py.add', [20, 22], {
      queue: pyQueue,
      countdown: 2,
    });
    console.log(`py.add(20, 22) in 2 s = ${await later.get({ timeout: 10 })}`);

    const quotient = await client.send('py.divide', [1, 0], { queue: pyQueue });
    await quotient.get({ timeout: 10 }).catch((error: unknown) => {
      if (!(error instanceof TaskFailedError)) throw error;
      console.log(
        `py.divide(1, 0) failed: ${error.excType}: ${error.excMessage}`,
      );
    });
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
