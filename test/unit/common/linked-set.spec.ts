import { LinkedSet } from '../../../lib/common/linked-set';

describe('LinkedSet', () => {
  it('adds, finds and removes in insertion order', () => {
    const set = new LinkedSet<string>();
    const a = set.add('a');
    const b = set.add('b');
    const c = set.add('c');
    expect(set.size).toBe(3);
    expect(set.values()).toEqual(['a', 'b', 'c']);
    expect(set.remove(b)).toBe(true);
    expect(set.values()).toEqual(['a', 'c']);
    expect(set.remove(a)).toBe(true);
    expect(set.remove(c)).toBe(true);
    expect(set.values()).toEqual([]);
    expect(set.size).toBe(0);
    set.add('d');
    expect(set.values()).toEqual(['d']);
    expect(set.find((value) => value === 'd')).toBe('d');
    expect(set.find((value) => value === 'a')).toBeUndefined();
  });

  it('removes an entry once, and never one of another set', () => {
    const set = new LinkedSet<number>();
    const other = new LinkedSet<number>();
    const entry = set.add(1);
    const foreign = other.add(2);
    expect(set.remove(foreign)).toBe(false);
    expect(other.size).toBe(1);
    expect(set.remove(entry)).toBe(true);
    expect(set.remove(entry)).toBe(false);
    expect(set.size).toBe(0);
  });

  it('lets go of a removed value and its neighbours', () => {
    const set = new LinkedSet<object>();
    set.add({});
    const middle = set.add({ big: true });
    set.add({});
    set.remove(middle);
    expect(middle.value).toBeUndefined();
    expect(middle).toEqual(
      expect.objectContaining({ prev: undefined, next: undefined }),
    );
  });

  it('holds the same value twice as two entries', () => {
    const set = new LinkedSet<string>();
    const first = set.add('x');
    set.add('x');
    set.remove(first);
    expect(set.values()).toEqual(['x']);
  });

  it('copies its values, so a caller may remove while going through them', () => {
    const set = new LinkedSet<number>();
    const entries = Array.from({ length: 5 }, (_, i) => set.add(i));
    for (const value of set.values()) set.remove(entries[value]);
    expect(set.size).toBe(0);
    set.add(7);
    set.clear();
    expect(set.size).toBe(0);
    expect(set.values()).toEqual([]);
  });

  it('stays right through a churn of many values', () => {
    const set = new LinkedSet<number>();
    const entries: ReturnType<typeof set.add>[] = [];
    for (let i = 0; i < 20_000; i++) {
      entries.push(set.add(i));
      if (i >= 300) set.remove(entries[i - 300]);
    }
    expect(set.size).toBe(300);
    expect(set.values()[0]).toBe(19_700);
    expect(set.values()[299]).toBe(19_999);
  });
});
