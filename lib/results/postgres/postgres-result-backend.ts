import type * as Pg from 'pg';
import { loadOptionalPeer } from '../../common/optional-peer';
import { ResultMeta } from '../../protocol';
import { ConnectionCheck } from '../../transports/connection-check';
import { ResultBackend } from '../result-backend';
import { CeleryTableNames, CeleryTables } from './celery-tables';
import { PostgresResultPolls } from './postgres-result-polls';
import { postgresConnectionString } from './postgres-url';
import { TaskRow, metaOfRow, rowValues } from './result-row';

export interface PostgresResultBackendOptions extends CeleryTableNames {
  /**
   * Create the schema, sequences and tables when missing, as Celery's database backend
   * does on first use. Default true; false when a migration owns them.
   */
  createTables?: boolean;
  /** How often waits read the rows they wait for (ms). Default 250. */
  pollIntervalMs?: number;
  /**
   * Passed to node-postgres's `Pool` (`max`, `ssl`, `idleTimeoutMillis`,
   * `application_name`...), over what the URL says.
   */
  pool?: Record<string, unknown>;
  /** Told of a failed poll (the database unreachable meanwhile). Default: console. */
  logger?: { error(message: string): void };
}

const COLUMNS = `task_id, status, result, traceback, name, args, kwargs, worker, retries, queue,
  to_char(date_done, 'YYYY-MM-DD"T"HH24:MI:SS.US') || '+00:00' AS date_done`;

/**
 * Celery's database result backend (`db+postgresql://`) on PostgreSQL: the rows of
 * `celery_taskmeta` as Celery's SQLAlchemy models write them, the result pickled
 * (PickleType), so a Python app reads what Nest stores and the reverse. Needs the
 * package `pg`, loaded only when this backend is used. Waits poll (see
 * PostgresResultPolls). Rows stay until `forget` or `cleanup`.
 */
export class PostgresResultBackend implements ResultBackend, ConnectionCheck {
  readonly kind = 'postgres';
  private readonly pool: Pg.Pool;
  private readonly tables: CeleryTables;
  private readonly polls: PostgresResultPolls;
  private ready: Promise<void> | undefined;
  private readonly upsert: string;
  private readonly selectMany: string;

  constructor(
    connectionString: string,
    private readonly options: PostgresResultBackendOptions = {},
  ) {
    this.tables = new CeleryTables(options);
    const pg = loadOptionalPeer<typeof Pg>('pg', 'backend: db+postgresql://');
    this.pool = new pg.Pool({
      connectionString,
      max: 4,
      application_name: 'celeriac-results',
      ...options.pool,
    });
    this.pool.on('error', () => undefined); // an idle client's error; the next query reconnects
    const logger = options.logger ?? console;
    this.polls = new PostgresResultPolls(
      (taskIds) => this.readMany(taskIds),
      options.pollIntervalMs ?? 250,
      (error) =>
        logger.error(
          `postgres result backend: a poll failed: ${String(error)}`,
        ),
    );
    // Celery's _store_result: one row per task id, every column rewritten; a SUCCESS
    // stays (a late redelivery's state loses).
    this.upsert = `INSERT INTO ${this.tables.task}
        (id, task_id, status, result, date_done, traceback,
         name, args, kwargs, worker, retries, queue)
      VALUES (nextval('${this.tables.taskSequence}'), $1, $2, $3, $4::timestamp, $5,
        $6, $7, $8, $9, $10, $11)
      ON CONFLICT (task_id) DO UPDATE SET status = EXCLUDED.status,
        result = EXCLUDED.result, date_done = EXCLUDED.date_done,
        traceback = EXCLUDED.traceback, name = EXCLUDED.name, args = EXCLUDED.args,
        kwargs = EXCLUDED.kwargs, worker = EXCLUDED.worker,
        retries = EXCLUDED.retries, queue = EXCLUDED.queue
      WHERE ${this.tables.task}.status <> 'SUCCESS'`;
    this.selectMany = `SELECT ${COLUMNS} FROM ${this.tables.task} WHERE task_id = ANY($1::text[])`;
  }

  /** `db+postgresql://user:password@host:port/database` (Celery's form). */
  static fromUrl(
    url: string,
    options?: PostgresResultBackendOptions,
  ): PostgresResultBackend {
    return new PostgresResultBackend(postgresConnectionString(url), options);
  }

  /** Creates the tables when missing (once); the client awaits it before sending. */
  connect(): Promise<void> {
    this.ready ??= this.prepare().catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  /** ConnectionCheck: the database answered and the tables are there (`failFast`). */
  async checkConnection(waitMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.connect(),
        new Promise((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new Error(
                  `postgres result backend: no answer within ${waitMs} ms; failFast stops the boot`,
                ),
              ),
            waitMs,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  async store(meta: ResultMeta): Promise<void> {
    await this.connect();
    await this.pool.query(this.upsert, rowValues(meta));
  }

  async get(taskId: string): Promise<ResultMeta | undefined> {
    const [meta] = await this.readMany([taskId]);
    return meta;
  }

  waitForReady(
    taskId: string,
    timeoutMs: number,
    onUpdate?: (meta: ResultMeta) => void,
  ): Promise<ResultMeta | undefined> {
    return this.polls.wait(taskId, timeoutMs, onUpdate);
  }

  async forget(taskId: string): Promise<void> {
    await this.connect();
    await this.pool.query(
      `DELETE FROM ${this.tables.task} WHERE task_id = $1`,
      [taskId],
    );
  }

  /**
   * Deletes the rows done more than `expiresInSeconds` ago (0: none), as Celery's
   * `celery.backend_cleanup` task does with `result_expires`: `date_done` is naive UTC.
   * Returns how many task rows went.
   */
  async cleanup(expiresInSeconds: number): Promise<number> {
    if (!(expiresInSeconds > 0)) return 0;
    await this.connect();
    const cutoff = `(now() AT TIME ZONE 'UTC') - make_interval(secs => $1)`;
    const tasks = await this.pool.query(
      `DELETE FROM ${this.tables.task} WHERE date_done < ${cutoff}`,
      [expiresInSeconds],
    );
    await this.pool.query(
      `DELETE FROM ${this.tables.group} WHERE date_done < ${cutoff}`,
      [expiresInSeconds],
    );
    return tasks.rowCount ?? 0;
  }

  async close(): Promise<void> {
    this.polls.close();
    await this.pool.end();
  }

  private async readMany(taskIds: string[]): Promise<ResultMeta[]> {
    await this.connect();
    const rows = await this.pool.query<TaskRow>(this.selectMany, [taskIds]);
    return rows.rows.map(metaOfRow);
  }

  private async prepare(): Promise<void> {
    if (this.options.createTables === false) {
      await this.pool.query('SELECT 1');
      return;
    }
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // Two processes creating the same tables at once would collide in the catalog.
      await client.query(
        `SELECT pg_advisory_xact_lock(hashtext('celeriac:${this.tables.task}'))`,
      );
      for (const statement of this.tables.createStatements())
        await client.query(statement);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
