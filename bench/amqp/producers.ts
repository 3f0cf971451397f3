import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { connect } from 'amqplib';
import type { ConfirmChannel, ChannelModel } from 'amqplib';
import { TaskClient, TaskQueueModule } from '../../lib';
import { TaskMessage, buildTaskMessage } from '../../lib/protocol';
import { AmqpTransport } from '../../lib/transports/amqp';
import {
  bodyBytes,
  publishOptions,
} from '../../lib/transports/amqp/message-codec';
import { NOOP_TASK } from './config';

const quiet = {
  debug: () => undefined,
  warn: () => undefined,
  error: (message: string) => process.stderr.write(`${message}\n`),
};

/** A Celery v2 no-op task message whose reply goes to `replyTo`. */
export function noopMessage(replyTo: string): TaskMessage {
  return buildTaskMessage({
    name: NOOP_TASK,
    id: randomUUID(),
    args: [],
    kwargs: {},
    origin: `bench@${hostname()}`,
    replyTo,
  });
}

/** Something that puts one task message on a queue and resolves once confirmed. */
export interface BenchProducer {
  publish(queue: string, message: TaskMessage): Promise<void>;
  close(): Promise<void>;
}

/** Celeriac's transport (what `TaskClient.send` publishes through). */
export async function celeriacProducer(url: string): Promise<BenchProducer> {
  const transport = AmqpTransport.fromUrl(url, { logger: quiet });
  await transport.connect();
  return {
    publish: (queue, message) => transport.publish(queue, message),
    close: () => transport.close(),
  };
}

/** amqplib alone on a confirm channel: the same bytes and properties, nothing else. */
export async function bareProducer(url: string): Promise<BenchProducer> {
  const model: ChannelModel = await connect(url);
  const channel: ConfirmChannel = await model.createConfirmChannel();
  const declared = new Set<string>();
  return {
    async publish(queue, message) {
      if (!declared.has(queue)) {
        await channel.assertQueue(queue, { durable: true });
        declared.add(queue);
      }
      // amqplib buffers what the socket cannot take yet; the confirm still comes.
      await new Promise<void>((resolve, reject) => {
        channel.publish(
          '',
          queue,
          bodyBytes(message),
          publishOptions(message),
          (error: unknown) =>
            error
              ? reject(new Error('the broker nacked a publish'))
              : resolve(),
        );
      });
    },
    close: () => model.close(),
  };
}

/** A producer-only Nest app (results by rpc://): its TaskClient. */
export async function celeriacClient(
  url: string,
): Promise<{ client: TaskClient; app: INestApplicationContext }> {
  @Module({
    imports: [
      TaskQueueModule.forRoot({
        broker: url,
        backend: 'rpc://',
        worker: false,
      }),
    ],
  })
  class BenchProducerModule {}
  const app = await NestFactory.createApplicationContext(BenchProducerModule, {
    logger: ['error', 'warn'],
  });
  return { client: app.get(TaskClient), app };
}

/** Calls `send(i)` `count` times with at most `window` in flight. */
export async function sendWindowed(
  count: number,
  window: number,
  send: (index: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) await send(next++);
  };
  await Promise.all(Array.from({ length: Math.min(window, count) }, lane));
}
