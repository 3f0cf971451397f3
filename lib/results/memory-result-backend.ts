import { EventEmitter } from 'node:events';
import { ResultMeta, isReady } from '../protocol';
import { ResultBackend, StoreContext } from './result-backend';

interface Entry {
  meta: ResultMeta;
  expiresAt: number;
}

/** Results kept in process memory, shared by every backend that names the same store. */
class MemoryResultStore {
  private static readonly stores = new Map<string, MemoryResultStore>();
  readonly entries = new Map<string, Entry>();
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
export class MemoryResultBackend implements ResultBackend {
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
    const current = this.live(taskId);
    if (current && isReady(current.status)) return Promise.resolve(current);
    return new Promise((resolve) => {
      const listener = (meta: ResultMeta) => {
        onUpdate?.(meta);
        if (isReady(meta.status)) finish(meta);
      };
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      const finish = (meta: ResultMeta | undefined) => {
        clearTimeout(timer);
        this.store_.updates.off(taskId, listener);
        resolve(meta);
      };
      this.store_.updates.on(taskId, listener);
    });
  }

  async forget(taskId: string): Promise<void> {
    this.store_.entries.delete(taskId);
  }

  async close(): Promise<void> {}

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
