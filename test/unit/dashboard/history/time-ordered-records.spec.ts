import { TimeOrderedRecords } from '../../../../lib/dashboard/history/time-ordered-records';
import {
  TaskRecord,
  emptyTaskRecord,
} from '../../../../lib/events/task-record';

/** A small deterministic generator: the same "random" order on every run. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

const newestFirst = (records: TaskRecord[]) =>
  [...records]
    .sort((a, b) => b.time - a.time || (a.id < b.id ? 1 : -1))
    .map((record) => record.id);

describe('TimeOrderedRecords', () => {
  it('keeps records newest first whatever order they come in, with ties ordered by id', () => {
    const random = lcg(7);
    const ordered = new TimeOrderedRecords();
    const all: TaskRecord[] = [];
    for (let i = 0; i < 500; i++) {
      // Mostly ascending, a fifth out of order, and some equal times.
      const time =
        random() < 0.2 ? Math.floor(random() * i) : i + (i % 3 === 0 ? 0 : 0.5);
      const record = emptyTaskRecord(
        `id-${Math.floor(random() * 1e6)}-${i}`,
        time,
      );
      ordered.insert(record);
      all.push(record);
    }
    expect([...ordered.newestFirst()].map((r) => r.id)).toEqual(
      newestFirst(all),
    );
    expect([...ordered.oldestFirst()].map((r) => r.id)).toEqual(
      newestFirst(all).reverse(),
    );
    expect(ordered.newestPage(10, 5).map((r) => r.id)).toEqual(
      newestFirst(all).slice(10, 15),
    );
    expect(ordered.newestPage(498, 5).map((r) => r.id)).toEqual(
      newestFirst(all).slice(498),
    );
    expect(ordered.newestPage(600, 5)).toEqual([]);
  });

  it('moves a record whose time went back, and drops a batch in one pass', () => {
    const ordered = new TimeOrderedRecords();
    const records = [10, 20, 30, 40].map((time) =>
      emptyTaskRecord(`t${time}`, time),
    );
    for (const record of records) ordered.insert(record);
    // An earlier event of t40 heard late: its first-seen time becomes 15.
    records[3].time = 15;
    ordered.reorder(records[3], 40);
    expect([...ordered.newestFirst()].map((r) => r.id)).toEqual([
      't30',
      't20',
      't40',
      't10',
    ]);
    ordered.removeAll(new Set([records[0], records[2]]));
    expect([...ordered.newestFirst()].map((r) => r.id)).toEqual(['t20', 't40']);
    expect(ordered.length).toBe(2);
  });

  it('drops the oldest records, or any others, keeping the rest in order', () => {
    const ordered = new TimeOrderedRecords();
    const records = [10, 20, 30, 40, 50].map((time) =>
      emptyTaskRecord(`t${time}`, time),
    );
    for (const record of records) ordered.insert(record);
    ordered.removeAll(new Set([records[1], records[0]]));
    expect([...ordered.newestFirst()].map((r) => r.id)).toEqual([
      't50',
      't40',
      't30',
    ]);
    // The oldest and one further on: not a prefix.
    ordered.removeAll(new Set([records[2], records[4]]));
    expect([...ordered.newestFirst()].map((r) => r.id)).toEqual(['t40']);
    ordered.removeAll(new Set());
    ordered.removeAll(new Set([records[3]]));
    expect(ordered.length).toBe(0);
  });
});
