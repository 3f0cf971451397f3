import { ResultMeta } from '../protocol';

/**
 * Stores task states and results in Celery's result format, and lets a producer wait
 * for one. Memory, Redis (`celery-task-meta-<id>`), AMQP `rpc://` and PostgreSQL
 * (Celery's `celery_taskmeta` table) keep this contract.
 */
export interface ResultBackend {
  /** 'memory' | 'redis' | 'rpc' | 'postgres': for logs and errors. */
  readonly kind: string;

  /**
   * Where workers must send results for tasks this process sends (`reply_to`),
   * for backends that route results to the sender (`rpc://`); undefined otherwise.
   */
  readonly replyTo?: string;

  /**
   * Optional: gets ready to receive the results of tasks this process sends. `rpc://`
   * declares its reply queue here, since a reply sent before it exists is lost. The
   * client awaits it before sending; it must be cheap once done.
   */
  connect?(): Promise<void>;

  /**
   * Stores a state. A stored SUCCESS is never overwritten (a late redelivery's
   * state loses). `context.replyTo` is the message's reply_to (used by `rpc://`).
   */
  store(meta: ResultMeta, context?: StoreContext): Promise<void>;

  /** The latest stored meta, or undefined (reads as PENDING). */
  get(taskId: string): Promise<ResultMeta | undefined>;

  /**
   * Resolves with the meta once the task is ready (SUCCESS, FAILURE, REVOKED), or with
   * undefined when `timeoutMs` runs out first. Waits on a notification, not by polling,
   * where the store can notify; PostgreSQL polls, since Python writers notify no one.
   * `onUpdate` sees every state stored meanwhile (RETRY, PROGRESS...).
   */
  waitForReady(
    taskId: string,
    timeoutMs: number,
    onUpdate?: (meta: ResultMeta) => void,
  ): Promise<ResultMeta | undefined>;

  /**
   * Set when chords cannot run on it at all, with why (Celery's `rpc://` refuses them:
   * results go to the sender only, so no worker can see the header complete). A backend
   * without a chord counter that does not refuse them gets Celery's fallback: the
   * sender sends `celery.chord_unlock`, which polls the header's results.
   */
  readonly refusesChords?: string;

  /**
   * Optional: Celery's native chord counter (the Redis backend's `.j` / `.t` / `.s`
   * keys). Without it, chords are joined by `celery.chord_unlock`.
   * `setChordSize` is called by whoever sends the chord, before its header.
   */
  setChordSize?(groupId: string, size: number): Promise<void>;

  /**
   * Optional, with setChordSize: counts one header part's end. Resolves with every
   * part, in header order, when this was the last one (exactly one caller sees it),
   * else with null.
   */
  addChordPart?(part: ChordPart): Promise<ChordPartResult[] | null>;

  /** Optional: saves a group as Celery's `GroupResult.save()` (`celery-taskset-meta-<id>`). */
  saveGroup?(groupId: string, resultTuple: unknown): Promise<void>;

  /** Optional: the result tuple a saveGroup stored, or undefined. */
  restoreGroup?(groupId: string): Promise<unknown>;

  /** Optional: deletes a saved group. */
  forgetGroup?(groupId: string): Promise<void>;

  /** Deletes what is stored for the task. */
  forget(taskId: string): Promise<void>;

  /**
   * Optional, for a backend whose results do not expire by themselves (Celery's
   * `supports_autoexpire` false: the database backend): deletes the results done more
   * than `expiresInSeconds` ago, and says how many task results went; nothing when
   * `expiresInSeconds` is 0 (kept forever). Celery's `celery.backend_cleanup` task runs
   * it, and beat schedules that task daily when a backend has it.
   */
  cleanup?(expiresInSeconds: number): Promise<number>;

  close(): Promise<void>;
}

/** What `ResultBackend.store` is told beside the meta. */
export interface StoreContext {
  replyTo?: string | null;
  /** Seconds to keep the result; the backend's default when absent. */
  expiresIn?: number;
}

/** One chord header part that ended, as the chord counter records it. */
export interface ChordPart {
  groupId: string;
  taskId: string;
  /** Its place in the header (the `group_index` header); null sorts last. */
  groupIndex: number | null;
  status: string;
  /** The value on SUCCESS, the exception info otherwise. */
  result: unknown;
}

/** One part as the counter gives it back once the chord is complete. */
export interface ChordPartResult {
  taskId: string;
  status: string;
  result: unknown;
}
