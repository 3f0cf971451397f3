import type Redis from 'ioredis';
import { Worker } from 'node:worker_threads';
import { EventMessage } from '../event-bus';

/**
 * The thread's code (plain JavaScript, run with `eval`: no build step, no Nest): it
 * writes each message as kombu's envelope (the same bytes as
 * `encodeJsonTextEnvelopeBytes`) and PUBLISHes a flush as one pipeline on its own
 * connection, then answers with the flush's id.
 */
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { randomUUID } = require('node:crypto');
const Redis = require(workerData.ioredis);
const client = new Redis(workerData.options);
client.on('error', () => {});
const json = JSON.stringify;
function envelope(body, headers, exchange, routingKey) {
  const base64 = Buffer.from(json(body), 'utf8').toString('base64');
  const tail = '","content-encoding":"utf-8","content-type":"application/json"' +
    ',"headers":' + headers + ',"properties":{"delivery_mode":1' +
    ',"delivery_info":{"exchange":' + json(exchange) + ',"routing_key":' + json(routingKey) + '}' +
    ',"priority":0,"body_encoding":"base64","delivery_tag":"' + randomUUID() + '"}}';
  const bytes = Buffer.allocUnsafe(9 + base64.length + Buffer.byteLength(tail, 'utf8'));
  let at = bytes.write('{"body":"', 0, 'latin1');
  at += bytes.write(base64, at, 'latin1');
  bytes.write(tail, at, 'utf8');
  return bytes;
}
parentPort.on('message', ({ id, channel, exchange, hostname, messages }) => {
  let pipeline;
  try {
    const headers = json({ hostname });
    pipeline = client.pipeline();
    for (const { routingKey, body } of messages)
      pipeline.publish(channel + '/' + routingKey, envelope(body, headers, exchange, routingKey));
  } catch (error) {
    parentPort.postMessage({ id, error: 'events not published: ' + error.message });
    return;
  }
  pipeline.exec().then(
    () => parentPort.postMessage({ id }),
    (error) => parentPort.postMessage({ id, error: String(error && error.message || error) }),
  );
});
`;

interface Reply {
  id: number;
  error?: string;
}

/** A flush in the thread: how its caller hears the end. */
interface InFlight {
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * Encodes and publishes event messages on a worker thread, off the consume path: the
 * main thread only hands the messages over (structured clone). Started at the first
 * publish, so a transport whose events are never published pays nothing.
 */
export class EventPublisherThread {
  private thread: Worker | undefined;
  private nextId = 0;
  private readonly inFlight = new Map<number, InFlight>();

  constructor(
    private readonly client: Redis,
    private readonly channel: string,
    private readonly exchange: string,
  ) {}

  publish(messages: readonly EventMessage[], hostname: string): Promise<void> {
    const thread = this.start();
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.inFlight.set(id, { resolve, reject });
      try {
        thread.postMessage({
          id,
          channel: this.channel,
          exchange: this.exchange,
          hostname,
          messages,
        });
      } catch (error) {
        this.inFlight.delete(id);
        reject(new Error(`events not published: ${(error as Error).message}`));
      }
    });
  }

  async close(): Promise<void> {
    const thread = this.thread;
    this.thread = undefined;
    if (thread) await thread.terminate();
  }

  private start(): Worker {
    if (this.thread) return this.thread;
    const { host, port, db, username, password, tls } = this.client.options;
    const thread = new Worker(THREAD_SOURCE, {
      eval: true,
      workerData: {
        ioredis: require.resolve('ioredis'),
        options: { host, port, db, username, password, tls },
      },
    });
    thread.unref();
    thread.on('message', (reply: Reply) => this.settle(reply));
    thread.on('error', (error) => this.fail(error));
    thread.on('exit', () => this.fail(new Error('event thread exited')));
    this.thread = thread;
    return thread;
  }

  private settle({ id, error }: Reply): void {
    const flight = this.inFlight.get(id);
    if (!flight) return;
    this.inFlight.delete(id);
    if (error === undefined) flight.resolve();
    else flight.reject(new Error(error));
  }

  private fail(error: Error): void {
    if (this.thread) this.thread = undefined;
    for (const flight of this.inFlight.values()) flight.reject(error);
    this.inFlight.clear();
  }
}
