/// <reference types="jest" /> // its shared-broker lock registers jest hooks; bench/chaos imports this file too
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { connect } from 'amqplib';
import type { Channel, ChannelModel, Options } from 'amqplib';
import { AmqpLogger } from '../../lib/drivers/amqp';
import { delayObjectNames } from '../../lib/transports/amqp/delay-scheme';
import { sleep, waitUntil } from './wait';

export const AMQP_URL =
  process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

const run = promisify(execFile);

export async function rabbitmqctl(...args: string[]): Promise<string> {
  const { stdout } = await run('rabbitmqctl', args, { timeout: 60_000 });
  return stdout;
}

/**
 * A plain amqplib connection that outlives a broker restart quietly: another suite may
 * restart RabbitMQ, and an 'error' event without a listener would end this test process.
 * What the test was doing with it still rejects.
 */
export async function connectQuietly(): Promise<ChannelModel> {
  const model = await connect(AMQP_URL);
  model.on('error', () => undefined);
  return model;
}

/** A plain amqplib connection for looking at what the broker holds. */
export async function rawChannel(): Promise<{
  model: ChannelModel;
  channel: Channel;
}> {
  const model = await connectQuietly();
  const channel = await model.createChannel();
  return { model, channel };
}

/** Publishes as another client (Celery) would, straight to a queue; resolves once confirmed. */
export async function publishRaw(
  queue: string,
  body: Buffer | string,
  options: Options.Publish,
): Promise<void> {
  const model = await connectQuietly();
  try {
    const channel = await model.createConfirmChannel();
    channel.sendToQueue(
      queue,
      Buffer.isBuffer(body) ? body : Buffer.from(body),
      options,
    );
    await channel.waitForConfirms();
  } finally {
    await model.close();
  }
}

/** Deletes queues with their Celery exchange and dead-letter queue, ignoring absent ones. */
export async function deleteQueues(
  queues: string[],
  extra: string[] = [],
): Promise<void> {
  const names = [
    ...queues,
    ...queues.map((queue) => `${queue}.dead`),
    ...extra,
  ];
  if (names.length === 0) return;
  const model = await connectQuietly();
  let channel: Channel | undefined;
  // A failed delete closes its channel: open another and go on.
  const attempt = async (drop: (channel: Channel) => Promise<unknown>) => {
    try {
      if (!channel) {
        channel = await model.createChannel();
        channel.on('error', () => undefined);
      }
      await drop(channel);
    } catch {
      channel = undefined;
    }
  };
  try {
    for (const name of names) {
      await attempt((c) => c.deleteQueue(name));
      await attempt((c) => c.deleteExchange(name));
    }
  } finally {
    await model.close();
  }
}

/** Deletes the delay levels of a prefix (tests use their own prefix). */
export async function deleteDelayLevels(prefix: string): Promise<void> {
  await deleteQueues([], delayObjectNames(prefix));
}

/** A logger that keeps what it is told, for assertions and quiet test output. */
export function recordingLogger(): AmqpLogger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    debug: (message) => lines.push(`debug ${message}`),
    warn: (message) => lines.push(`warn ${message}`),
    error: (message) => lines.push(`error ${message}`),
  };
}

/** The pid rabbitmqctl knows the connection with this `connection_name` by, once it is up. */
export async function connectionPid(
  connectionName: string,
): Promise<string | undefined> {
  return (await connectionPids((name) => name === connectionName))[0];
}

/** Has RabbitMQ close the connection with this `connection_name`, once it is up. */
export async function closeConnectionNamed(
  connectionName: string,
): Promise<void> {
  let pid: string | undefined;
  await waitUntil(
    async () => (pid = await connectionPid(connectionName)) !== undefined,
    10_000,
    'the connection',
  );
  await rabbitmqctl('close_connection', pid!, 'closed on purpose by a test');
}

/** The pids of the connections whose `connection_name` passes `match`. */
export async function connectionPids(
  match: (connectionName: string) => boolean,
): Promise<string[]> {
  const out = await rabbitmqctl(
    'list_connections',
    'pid',
    'client_properties',
    '-q',
    '--no-table-headers',
  );
  return out.split('\n').flatMap((row) => {
    const name = /\{"connection_name","([^"]*)"\}/.exec(row)?.[1];
    return name !== undefined && match(name) ? [row.split('\t')[0]] : [];
  });
}

/** The queues the connection with this `connection_name` holds exclusively. */
export async function exclusiveQueuesOf(
  connectionName: string,
): Promise<string[]> {
  const pid = await connectionPid(connectionName);
  if (pid === undefined) return [];
  const out = await rabbitmqctl(
    'list_queues',
    'name',
    'owner_pid',
    '-q',
    '--no-table-headers',
  );
  return out.split('\n').flatMap((row) => {
    const [name, owner] = row.split('\t');
    return owner === pid ? [name] : [];
  });
}

/**
 * Deletes a queue as an administrator: an exclusive queue refuses deletion from any
 * other connection (405 RESOURCE_LOCKED), so amqplib cannot do it from outside.
 */
export async function deleteQueueAsAdmin(name: string): Promise<void> {
  await rabbitmqctl('delete_queue', name);
}

/*
 * The restart test stops RabbitMQ for everyone. Spec files that use the broker register as
 * users (a file per process); the restart waits until no other user is running and keeps
 * new ones waiting meanwhile. Both sides write their mark before looking at the other's,
 * so they cannot both go ahead.
 */
const LOCK_DIR = path.join(os.tmpdir(), 'celeriac-amqp-tests');
const RESTART_MARK = path.join(LOCK_DIR, 'restart');
const userMark = () => path.join(LOCK_DIR, `user-${process.pid}`);

/** Call at the top of a spec file that uses RabbitMQ. */
export function useSharedBroker(): void {
  beforeAll(async () => {
    fs.mkdirSync(LOCK_DIR, { recursive: true });
    for (;;) {
      fs.writeFileSync(userMark(), '');
      if (!fs.existsSync(RESTART_MARK) || staleMark(RESTART_MARK)) return;
      fs.rmSync(userMark(), { force: true });
      await sleep(100);
    }
  }, 120_000);
  afterAll(() => {
    fs.rmSync(userMark(), { force: true });
  });
}

/** Runs `restart` with no other spec file using RabbitMQ. */
export async function withBrokerToMyself(
  restart: () => Promise<void>,
): Promise<void> {
  fs.mkdirSync(LOCK_DIR, { recursive: true });
  fs.rmSync(userMark(), { force: true });
  while (!tryCreate(RESTART_MARK)) {
    if (staleMark(RESTART_MARK)) fs.rmSync(RESTART_MARK, { force: true });
    await sleep(100);
  }
  try {
    while (otherUsers().length > 0) await sleep(100);
    await restart();
  } finally {
    fs.rmSync(RESTART_MARK, { force: true });
    fs.writeFileSync(userMark(), '');
  }
}

function tryCreate(file: string): boolean {
  try {
    fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
    return true;
  } catch {
    return false;
  }
}

function otherUsers(): string[] {
  return fs
    .readdirSync(LOCK_DIR)
    .filter((name) => name.startsWith('user-'))
    .filter((name) => {
      const pid = Number(name.slice('user-'.length));
      if (pid === process.pid) return false;
      if (!alive(pid)) {
        fs.rmSync(path.join(LOCK_DIR, name), { force: true });
        return false;
      }
      return true;
    });
}

function staleMark(file: string): boolean {
  try {
    const pid = fs.readFileSync(file, 'utf8');
    return pid !== '' && !alive(Number(pid)); // '' = being written
  } catch {
    return true;
  }
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
