import { EventEmitter } from 'node:events';
import { ResultMeta } from '../../protocol';
import { ResultBackend, StoreContext } from '../result-backend';
import { waitForReadyState } from '../wait-for-ready';
import { RevocationStore, RevokedTask } from '../revocation-store';

interface Entry {
  meta: ResultMeta;
  expiresAt: number;
}

/** Results kept in process memory, shared by every backend that names the same store. */
class MemoryResultStore {
  private static readonly stores = new Map<string, MemoryResultStore>();
  readonly entries = new Map<string, Entry>();
  /** Revoked task id -> when it stops being kept (ms). */
  readonly revoked = new Map<string, number>();
  readonly updates = new EventEmitter().setMaxListeners(0);

  static named(name: string): MemoryResultStore {
    let store = this.stores.get(name);
    if (!store) {
      store = new MemoryResultStore();
      this.stores.set(name, store);
    }
    return store;
  }
}

/** `memory://[name]`: results in this process, for the embedded default and tests. */
export class MemoryResultBackend implements ResultBackend, RevocationStore {
  readonly kind = 'memory';
  private readonly store_: MemoryResultStore;

  constructor(
    name = 'default',
    private readonly defaultExpiresIn = 86_400,
  ) {
    this.store_ = MemoryResultStore.named(name);
  }

  static fromUrl(url: string, defaultExpiresIn?: number): MemoryResultBackend {
    return new MemoryResultBackend(
      url.replace(/^memory:\/\//, '') || 'default',
      defaultExpiresIn,
    );
  }

  async store(meta: ResultMeta, context: StoreContext = {}): Promise<void> {
    const current = this.live(meta.task_id);
    if (current?.status === 'SUCCESS') return;
    const expiresIn = context.expiresIn ?? this.defaultExpiresIn;
    const copy = JSON.parse(JSON.stringify(meta)) as ResultMeta;
    this.store_.entries.set(meta.task_id, {
      meta: copy,
      expiresAt: Date.now() + expiresIn * 1000,
    });
    this.store_.updates.emit(meta.task_id, copy);
  }

  async get(taskId: string): Promise<ResultMeta | undefined> {
    return this.live(taskId);
  }

  waitForReady(
    taskId: string,
    timeoutMs: number,
    onUpdate?: (meta: ResultMeta) => void,
  ): Promise<ResultMeta | undefined> {
    return waitForReadyState(
      this.store_.updates,
      taskId,
      this.live(taskId),
      timeoutMs,
      onUpdate,
    );
  }

  async forget(taskId: string): Promise<void> {
    this.store_.entries.delete(taskId);
  }

  async close(): Promise<void> {}

  async addRevoked(
    taskIds: readonly string[],
    ttlSeconds: number,
  ): Promise<void> {
    const expiresAt = Date.now() + ttlSeconds * 1000;
    for (const id of taskIds) {
      const kept = this.store_.revoked.get(id) ?? 0;
      this.store_.revoked.set(id, Math.max(kept, expiresAt));
    }
  }

  async listRevoked(): Promise<RevokedTask[]> {
    const now = Date.now();
    const live: RevokedTask[] = [];
    for (const [taskId, expiresAt] of this.store_.revoked) {
      if (expiresAt <= now) this.store_.revoked.delete(taskId);
      else live.push({ taskId, expiresAt: new Date(expiresAt) });
    }
    return live;
  }

  private live(taskId: string): ResultMeta | undefined {
    const entry = this.store_.entries.get(taskId);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.store_.entries.delete(taskId);
      return undefined;
    }
    return entry.meta;
  }
}
