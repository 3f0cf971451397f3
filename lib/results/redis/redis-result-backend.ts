import Redis, { RedisOptions } from 'ioredis';
import {
  REDIS_MAX_VALUE_BYTES,
  checkSize,
  sizeLimitOption,
  utf8SizeIfNear,
} from '../../transports/message-size';
import { ResultMeta, parseJson } from '../../protocol';
import { describeRedis, parseRedisUrl } from '../../drivers/redis/redis-url';
import {
  explainFailure,
  guardConfiguration,
  refusalOf,
} from '../../drivers/redis/refusal';
import { RedisUnavailableError } from '../../drivers/redis/errors';
import { waitUntilReady } from '../../drivers/redis/wait-ready';
import { keepCommandsYoung } from '../../drivers/redis/young-commands';
import { settledWithin } from '../../common/settled-within';
import { ConnectionCheck } from '../../transports/connection-check';
import {
  ChordPart,
  ChordPartResult,
  ResultBackend,
  StoreContext,
} from '../result-backend';
import { closeConnection } from '../../drivers/redis/close-connection';
import {
  chordPartScript,
  storeResultsScript,
} from '../../drivers/redis/scripts';
import { TickBatcher } from '../../drivers/redis/tick-batcher';
import { RedisResultWaiters } from './redis-result-waiters';
import { RedisRevocations } from './redis-revocations';
import { RevocationStore, RevokedTask } from '../revocation-store';
import { RedisSentinelOptions } from '../../common/redis-sentinel-options';
import { TlsOptions } from '../../common/tls-options';

interface PendingStore {
  key: string;
  value: string;
  ttl: number;
}

export interface RedisResultBackendOptions {
  /** Prepended to every key, as Celery's `global_keyprefix`. Default ''. */
  keyPrefix?: string;
  /** Seconds a result is kept (Celery's `result_expires`); 0 keeps it forever. Default 86 400. */
  expiresIn?: number;
  /**
   * Largest result stored, in bytes of its JSON: larger ones are refused with
   * MessageTooLargeError (the worker stores that as the task's FAILURE instead).
   * Default 512 MiB, Redis's own limit on a value.
   */
  maxResultSize?: number;
  /**
   * With a `sentinel://` URL: the master's name and the sentinels' password (else
   * `?master_name=` and `?sentinel_password=` on the URL). See README, Production.
   */
  sentinel?: RedisSentinelOptions;
  /** CLIENT SETNAME of the connections (the subscriber gets `:sub`). Default 'celeriac-results'. */
  connectionName?: string;
  /** Told of a configuration error (a wrong password, a db out of range). Default: console. */
  logger?: { error(message: string): void };
  /** TLS of a `rediss://` URL (used by `fromUrl`): the CA, a client certificate, the server name. */
  tls?: TlsOptions;
}

/**
 * Celery's Redis result backend: `celery-task-meta-<id>` holds the meta as Celery
 * writes it, with an expiry, and every store is PUBLISHed on the same name. Waits
 * share one subscriber connection per backend. Revokes are kept in
 * `<keyPrefix>celeriac-revoked` (see RedisRevocations).
 */
export class RedisResultBackend
  implements ResultBackend, RevocationStore, ConnectionCheck
{
  readonly kind = 'redis';
  private readonly client: Redis;
  private readonly waiters: RedisResultWaiters;
  private readonly revocations: RedisRevocations;
  private readonly stores: TickBatcher<PendingStore>;
  private readonly keyPrefix: string;
  private readonly maxResultSize: number;
  private readonly expiresIn: number;
  private readonly where: string;

  constructor(
    connection: RedisOptions = {},
    options: RedisResultBackendOptions = {},
  ) {
    this.keyPrefix = options.keyPrefix ?? '';
    this.maxResultSize = sizeLimitOption(
      options.maxResultSize,
      REDIS_MAX_VALUE_BYTES,
      'backendOptions.maxResultSize',
    );
    this.expiresIn = options.expiresIn ?? 86_400;
    const connectionName = options.connectionName ?? 'celeriac-results';
    keepCommandsYoung();
    this.client = new Redis({
      // Stores wait through an outage and are resent on reconnect.
      maxRetriesPerRequest: null,
      retryStrategy: (attempt: number) => Math.min(50 * attempt, 1000),
      ...connection,
      connectionName,
    });
    const where = describeRedis(connection);
    this.where = where;
    const logger = options.logger ?? console;
    const onRefused = (refusal: Error) =>
      logger.error(`redis result backend: ${refusal.message}`);
    guardConfiguration(this.client, where, onRefused);
    this.client.on('error', () => undefined); // ioredis reconnects; commands wait
    this.stores = new TickBatcher((batch) => this.storeMany(batch), 500);
    this.revocations = new RedisRevocations(
      this.client,
      `${this.keyPrefix}celeriac-revoked`,
    );
    this.waiters = new RedisResultWaiters(
      () => {
        const subscriber = this.client.duplicate({
          connectionName: `${connectionName}:sub`,
        });
        guardConfiguration(subscriber, where);
        subscriber.on('error', () => undefined);
        return subscriber;
      },
      (key) => this.read(key),
    );
  }

  /** `redis://[[user]:password@]host[:port][/db]` or `rediss://...` (TLS, with `options.tls`). */
  static fromUrl(
    url: string,
    options?: RedisResultBackendOptions,
  ): RedisResultBackend {
    return new RedisResultBackend(
      parseRedisUrl(url, options?.sentinel, options?.tls),
      options,
    );
  }

  /** ConnectionCheck: resolves once Redis took the connection (`failFast` at boot). */
  async checkConnection(waitMs: number): Promise<void> {
    const outcome = await waitUntilReady(this.client, waitMs);
    if (outcome === 'ready') return;
    throw (
      refusalOf(this.client) ??
      new RedisUnavailableError(
        outcome === 'closed'
          ? `redis result backend: the connection to Redis at ${this.where} is closed`
          : `redis result backend: Redis at ${this.where} did not answer within ${waitMs} ms; failFast stops the boot`,
      )
    );
  }

  /** `celery-task-meta-<id>`, behind the key prefix. */
  key(taskId: string): string {
    return `${this.keyPrefix}celery-task-meta-${taskId}`;
  }

  /** `celery-taskset-meta-<id>` (and its chord keys `.j`, `.t`, `.s`), behind the key prefix. */
  groupKey(groupId: string, suffix = ''): string {
    return `${this.keyPrefix}celery-taskset-meta-${groupId}${suffix}`;
  }

  /** Celery's `set_chord_size`: the `.s` key the chord counter compares with. */
  async setChordSize(groupId: string, size: number): Promise<void> {
    const key = this.groupKey(groupId, '.s');
    if (this.expiresIn > 0)
      await this.client.setex(key, this.expiresIn, String(size));
    else await this.client.set(key, String(size));
  }

  /** Celery's `on_chord_part_return` counting (see chord-part-3.lua). */
  async addChordPart(part: ChordPart): Promise<ChordPartResult[] | null> {
    const encoded = JSON.stringify([1, part.taskId, part.status, part.result]);
    const parts = (await chordPartScript.run(
      this.client,
      [
        this.groupKey(part.groupId, '.j'),
        this.groupKey(part.groupId, '.t'),
        this.groupKey(part.groupId, '.s'),
      ],
      [encoded, part.groupIndex ?? '+inf', this.expiresIn],
    )) as string[] | null;
    if (!parts) return null;
    return parts.map((text) => {
      const [, taskId, status, result] = parseJson(text) as [
        number,
        string,
        string,
        unknown,
      ];
      return { taskId, status, result };
    });
  }

  /** `GroupResult.save()`: `{"result": <tuple>}` under `celery-taskset-meta-<id>`. */
  async saveGroup(groupId: string, resultTuple: unknown): Promise<void> {
    const value = JSON.stringify({ result: resultTuple });
    const key = this.groupKey(groupId);
    if (this.expiresIn > 0) await this.client.setex(key, this.expiresIn, value);
    else await this.client.set(key, value);
  }

  async restoreGroup(groupId: string): Promise<unknown> {
    const text = await this.client.get(this.groupKey(groupId));
    if (text === null) return undefined;
    return (parseJson(text) as { result?: unknown }).result;
  }

  async forgetGroup(groupId: string): Promise<void> {
    await this.client.del(this.groupKey(groupId));
  }

  store(meta: ResultMeta, context: StoreContext = {}): Promise<void> {
    const seconds = context.expiresIn ?? this.expiresIn;
    const value = JSON.stringify(meta);
    try {
      checkSize(
        () => `the ${meta.status} result of ${meta.task_id}`,
        utf8SizeIfNear(value, this.maxResultSize),
        this.maxResultSize,
        'backendOptions.maxResultSize',
      );
    } catch (error) {
      return Promise.reject(
        error instanceof Error ? error : new Error(String(error)),
      );
    }
    return this.stores.add({
      key: this.key(meta.task_id),
      value,
      ttl: seconds > 0 ? Math.max(1, Math.ceil(seconds)) : 0,
    });
  }

  get(taskId: string): Promise<ResultMeta | undefined> {
    return this.read(this.key(taskId));
  }

  waitForReady(
    taskId: string,
    timeoutMs: number,
    onUpdate?: (meta: ResultMeta) => void,
  ): Promise<ResultMeta | undefined> {
    return this.waiters.wait(this.key(taskId), timeoutMs, onUpdate);
  }

  async forget(taskId: string): Promise<void> {
    await this.client.del(this.key(taskId));
  }

  /** RevocationStore: keeps these ids revoked for `ttlSeconds` (a later expiry wins). */
  addRevoked(taskIds: readonly string[], ttlSeconds: number): Promise<void> {
    return this.revocations.addRevoked(taskIds, ttlSeconds);
  }

  /** RevocationStore: the ids still kept (expired ones are dropped first). */
  listRevoked(): Promise<RevokedTask[]> {
    return this.revocations.listRevoked();
  }

  /** Waits (up to 5 s) for stores already made, then closes the connections. */
  async close(): Promise<void> {
    await settledWithin(this.stores.drain(), 5000);
    this.waiters.close();
    await closeConnection(this.client);
  }

  private async storeMany(batch: PendingStore[]): Promise<void> {
    const keys = batch.map((entry) => entry.key);
    const args = batch.flatMap((entry) => [entry.value, entry.ttl]);
    await storeResultsScript.run(this.client, keys, args);
  }

  private async read(key: string): Promise<ResultMeta | undefined> {
    const text = await this.client.get(key).catch((error: unknown) => {
      throw explainFailure(this.client, error);
    });
    return text === null ? undefined : (parseJson(text) as ResultMeta);
  }
}
