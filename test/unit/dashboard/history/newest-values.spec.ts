import { NewestValues } from '../../../../lib/dashboard/history/newest-values';

/** Feeds `[value, time]` pairs newest first, as the memory store walks its records. */
function pick(limit: number, seen: [string | null, number][]) {
  const values = new NewestValues(limit);
  const walked: number[] = [];
  for (const [value, time] of seen) {
    if (values.full(time)) break;
    walked.push(time);
    values.see(value, time);
  }
  return { values: values.values(), walked };
}

describe('NewestValues', () => {
  it('keeps the values whose newest record is newest, given alphabetically', () => {
    expect(
      pick(2, [
        ['z', 9],
        ['z', 8],
        ['a', 7],
        ['m', 5],
      ]).values,
    ).toEqual(['a', 'z']);
  });

  it('of values tied at the limit, keeps the greater (as ZREVRANGE orders equal scores)', () => {
    expect(
      pick(1, [
        ['a', 5],
        ['b', 5],
        ['c', 4],
      ]).values,
    ).toEqual(['b']);
  });

  it('stops once a record is older than the limit-th value, not before its ties', () => {
    expect(
      pick(1, [
        ['a', 5],
        ['b', 5],
        ['c', 4],
        ['d', 3],
      ]).walked,
    ).toEqual([5, 5]);
  });

  it('skips records without a value, and gives none for a limit of 0', () => {
    expect(
      pick(5, [
        [null, 9],
        ['a', 8],
      ]).values,
    ).toEqual(['a']);
    expect(pick(0, [['a', 8]])).toEqual({ values: [], walked: [] });
  });
});
