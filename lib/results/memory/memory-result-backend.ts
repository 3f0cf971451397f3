import { EventEmitter } from 'node:events';
import { ResultMeta } from '../../protocol';
import {
  ChordPart,
  ChordPartResult,
  ResultBackend,
  StoreContext,
} from '../result-backend';
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
  /** Chord counters by group id: the size, and the parts that ended. */
  readonly chords = new Map<
    string,
    { size: number | null; parts: Map<string, [number, ChordPartResult]> }
  >();
  /** Saved groups (GroupResult.save) by group id. */
  readonly groups = new Map<string, unknown>();

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

  async setChordSize(groupId: string, size: number): Promise<void> {
    this.chord(groupId).size = size;
  }

  /** The same counting as Celery's Redis chord: complete when every part is in. */
  async addChordPart(part: ChordPart): Promise<ChordPartResult[] | null> {
    const chord = this.chord(part.groupId);
    chord.parts.set(part.taskId, [
      part.groupIndex ?? Infinity,
      { taskId: part.taskId, status: part.status, result: part.result },
    ]);
    if (chord.size === null || chord.parts.size !== chord.size) return null;
    this.store_.chords.delete(part.groupId);
    return [...chord.parts.values()]
      .sort((a, b) => a[0] - b[0])
      .map(
        ([, result]) => JSON.parse(JSON.stringify(result)) as ChordPartResult,
      );
  }

  async saveGroup(groupId: string, resultTuple: unknown): Promise<void> {
    this.store_.groups.set(groupId, JSON.parse(JSON.stringify(resultTuple)));
  }

  async restoreGroup(groupId: string): Promise<unknown> {
    return this.store_.groups.get(groupId);
  }

  async forgetGroup(groupId: string): Promise<void> {
    this.store_.groups.delete(groupId);
  }

  private chord(groupId: string) {
    let chord = this.store_.chords.get(groupId);
    if (!chord) {
      chord = { size: null, parts: new Map() };
      this.store_.chords.set(groupId, chord);
    }
    return chord;
  }

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
