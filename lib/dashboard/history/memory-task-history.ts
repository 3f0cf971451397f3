import { TaskPatch, applyTaskPatch } from '../../events/task-patch';
import { TaskRecord, emptyTaskRecord } from '../../events/task-record';
import { HistoryCaps, OutcomeTimes, TaskHistory } from './task-history';
import { TaskPage, TaskQuery } from './task-query';
import { NewestValues } from './newest-values';
import { TimeOrderedRecords } from './time-ordered-records';

/**
 * The history in this process: a map by id, and the same records sorted by first-seen
 * time, which a query walks from the newest (a page costs one pass over the matches,
 * never a sort) and the caps trim from the oldest, as the Redis store's do.
 */
export class MemoryTaskHistory implements TaskHistory {
  readonly kind = 'memory';
  private readonly records = new Map<string, TaskRecord>();
  private readonly byTime = new TimeOrderedRecords();
  private readonly childrenOf = new Map<string, Set<string>>();

  constructor(
    private readonly caps: HistoryCaps,
    private readonly now: () => number = () => Date.now() / 1000,
  ) {}

  apply(patches: readonly TaskPatch[]): Promise<void> {
    const cutoff = this.now() - this.caps.maxAgeSeconds;
    for (const patch of patches) {
      if (patch.at < cutoff && !this.records.has(patch.id)) continue;
      let record = this.records.get(patch.id);
      if (!record) {
        record = emptyTaskRecord(patch.id, patch.at);
        this.records.set(patch.id, record);
        this.byTime.insert(record);
      }
      const time = record.time;
      applyTaskPatch(record, patch);
      if (record.time !== time) this.byTime.reorder(record, time);
      if (record.parentId) this.addChild(record.parentId, record.id);
    }
    this.trim();
    return Promise.resolve();
  }

  query(query: TaskQuery): Promise<TaskPage> {
    this.trim();
    const { offset, limit } = query;
    const filtered =
      query.from !== undefined ||
      query.to !== undefined ||
      query.name !== undefined ||
      query.state !== undefined ||
      query.worker !== undefined;
    if (!filtered) {
      return Promise.resolve({
        total: this.byTime.length,
        tasks: this.byTime.newestPage(offset, limit).map(copy),
      });
    }
    const from = query.from ?? Number.NEGATIVE_INFINITY;
    const to = query.to ?? Number.POSITIVE_INFINITY;
    const tasks: TaskRecord[] = [];
    let total = 0;
    for (const record of this.byTime.newestFirst()) {
      if (record.time > to) continue;
      if (record.time < from) break;
      if (
        (query.name === undefined || record.name === query.name) &&
        (query.state === undefined || record.state === query.state) &&
        (query.worker === undefined || record.worker === query.worker)
      ) {
        if (total >= offset && tasks.length < limit) tasks.push(copy(record));
        total++;
      }
    }
    return Promise.resolve({ total, tasks });
  }

  outcomes(since: number): Promise<OutcomeTimes> {
    this.trim();
    const times: OutcomeTimes = { succeeded: [], failed: [], retried: [] };
    for (const record of this.byTime.newestFirst()) {
      if (record.time < since) break;
      for (const outcome of OUTCOMES) {
        const at = record[outcome];
        if (at !== null) times[outcome].push(at);
      }
    }
    return Promise.resolve(times);
  }

  get(id: string): Promise<TaskRecord | null> {
    const record = this.records.get(id);
    return Promise.resolve(record ? copy(record) : null);
  }

  getMany(ids: readonly string[]): Promise<(TaskRecord | null)[]> {
    return Promise.resolve(
      ids.map((id) => {
        const record = this.records.get(id);
        return record ? copy(record) : null;
      }),
    );
  }

  children(id: string, limit: number): Promise<string[]> {
    this.trim();
    return Promise.resolve(
      [...(this.childrenOf.get(id) ?? [])].slice(0, limit),
    );
  }

  /**
   * The names and workers seen last, as the Redis store's: a name ranks by the
   * first-seen time of its newest task kept, so an older task's event arriving late
   * does not move it back, and a name or worker with no task kept is not offered.
   */
  facets(limit: number): Promise<{ names: string[]; workers: string[] }> {
    this.trim();
    const names = new NewestValues(limit);
    const workers = new NewestValues(limit);
    for (const record of this.byTime.newestFirst()) {
      if (names.full(record.time) && workers.full(record.time)) break;
      names.see(record.name, record.time);
      workers.see(record.worker, record.time);
    }
    return Promise.resolve({
      names: names.values(),
      workers: workers.values(),
    });
  }

  size(): Promise<number> {
    this.trim();
    return Promise.resolve(this.records.size);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private addChild(parent: string, child: string): void {
    let set = this.childrenOf.get(parent);
    if (!set) this.childrenOf.set(parent, (set = new Set()));
    set.add(child);
  }

  /** The parent may be gone already: an empty set would then never be freed. */
  private removeChild(parent: string, child: string): void {
    const set = this.childrenOf.get(parent);
    if (!set) return;
    set.delete(child);
    if (set.size === 0) this.childrenOf.delete(parent);
  }

  /**
   * Drops the tasks first seen earliest past `maxTasks`, and those first seen more than
   * `maxAgeSeconds` ago (an event older than that does not add a task at all). Reads
   * run it too: with no event for a while, tasks still grow past the age cap. It goes
   * by first-seen time, not by arrival: events come out of order (a task heard after
   * a newer one, a task-sent heard last moving its task's time back).
   */
  private trim(): void {
    const cutoff = this.now() - this.caps.maxAgeSeconds;
    const dropped = new Set<TaskRecord>();
    for (const record of this.byTime.oldestFirst()) {
      if (this.records.size <= this.caps.maxTasks && record.time >= cutoff)
        break;
      const id = record.id;
      this.records.delete(id);
      this.childrenOf.delete(id);
      if (record.parentId) this.removeChild(record.parentId, id);
      dropped.add(record);
    }
    this.byTime.removeAll(dropped);
  }
}

const OUTCOMES = ['succeeded', 'failed', 'retried'] as const;

function copy(record: TaskRecord): TaskRecord {
  return { ...record };
}
