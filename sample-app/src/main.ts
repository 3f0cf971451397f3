import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { loadConfig } from './config';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.create(AppModule.register(config));
  app.enableShutdownHooks();
  await app.listen(config.port);
  const mode = config.embeddedWorker
    ? 'memory:// with an in-process worker'
    : `${config.brokerUrl?.split('://')[0]}:// (producer only: start workers with \`npx nest start worker\`)`;
  new Logger('Sample').log(
    `Listening on http://localhost:${config.port}, ${mode}`,
  );
  if (config.dashboardPassword) {
    new Logger('Sample').log(
      `Dashboard on http://localhost:${config.port}/queues (user admin, DASHBOARD_PASSWORD)`,
    );
  }
}

void main();
