import { TaskRecord } from '../../events/task-record';

type Key = Pick<TaskRecord, 'id' | 'time'>;

/** Orders two records as a page lists them in reverse: oldest first, ties by id. */
function compareKeys(a: Key, b: Key): number {
  return a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Records kept sorted by first-seen time, so that a page of the newest is read from
 * the end without sorting. Events come nearly in time order: a new record usually
 * goes at the end, and one whose time moves back (an earlier event heard later) is
 * moved, a binary search and one splice.
 */
export class TimeOrderedRecords {
  private records: TaskRecord[] = [];

  get length(): number {
    return this.records.length;
  }

  insert(record: TaskRecord): void {
    const last = this.records[this.records.length - 1];
    if (!last || compareKeys(last, record) <= 0) this.records.push(record);
    else this.records.splice(this.indexFor(record), 0, record);
  }

  /** Moves a record whose time changed from `oldTime`. */
  reorder(record: TaskRecord, oldTime: number): void {
    this.remove(record, oldTime);
    this.insert(record);
  }

  /**
   * Drops the given records. Trimmed records are nearly always the oldest, the start
   * of the array: those are spliced off in place, with no copy of the rest; a batch
   * that is not (a task whose time moved back) takes one filtering pass.
   */
  removeAll(records: ReadonlySet<TaskRecord>): void {
    let prefix = 0;
    while (prefix < records.size && records.has(this.records[prefix])) prefix++;
    if (prefix === records.size) this.records.splice(0, prefix);
    else this.records = this.records.filter((record) => !records.has(record));
  }

  /** From the oldest to the newest (do not remove records while walking it). */
  *oldestFirst(): Generator<TaskRecord> {
    for (const record of this.records) yield record;
  }

  /** From the newest to the oldest. */
  *newestFirst(): Generator<TaskRecord> {
    for (let i = this.records.length - 1; i >= 0; i--) yield this.records[i];
  }

  /** The records at positions [offset, offset + limit) counted from the newest. */
  newestPage(offset: number, limit: number): TaskRecord[] {
    const end = Math.max(this.records.length - offset, 0);
    const start = Math.max(end - limit, 0);
    return this.records.slice(start, end).reverse();
  }

  /** Removes a record kept under `time` (its time field may already be the new one). */
  private remove(record: TaskRecord, time: number): void {
    const key = { id: record.id, time };
    let low = 0;
    let high = this.records.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const at = this.records[middle];
      const atKey = at === record ? key : at;
      if (compareKeys(atKey, key) < 0) low = middle + 1;
      else high = middle;
    }
    if (this.records[low] === record) this.records.splice(low, 1);
  }

  /** The first position whose record sorts at or after `record`. */
  private indexFor(record: TaskRecord): number {
    let low = 0;
    let high = this.records.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compareKeys(this.records[middle], record) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
