import { runInNewContext } from 'node:vm';
import { isPlainObject, isRecord } from '../../../lib/common/object-kind';

class Point {
  x = 1;
}

describe('isRecord', () => {
  it('is any object but null and arrays, class instances included', () => {
    expect(isRecord({})).toBe(true);
    expect(isRecord(Object.create(null))).toBe(true);
    expect(isRecord(new Point())).toBe(true);
    expect(isRecord(new Date())).toBe(true);
  });

  it('is not null, an array or a primitive', () => {
    for (const value of [null, undefined, [], [1], 'a', 1, true]) {
      expect(isRecord(value)).toBe(false);
    }
  });
});

describe('isPlainObject', () => {
  it('is an object of Object.prototype or of no prototype', () => {
    expect(isPlainObject({ a: 1 })).toBe(true);
    expect(isPlainObject(Object.create(null))).toBe(true);
  });

  it("is also another realm's plain object", () => {
    expect(isPlainObject(runInNewContext('({ a: 1 })'))).toBe(true);
    expect(isPlainObject(runInNewContext('Object.create(null)'))).toBe(true);
  });

  it('is not an array, a class instance or a built-in object, of any realm', () => {
    for (const value of [
      [],
      new Point(),
      new Date(),
      new Map(),
      runInNewContext('[]'),
      runInNewContext('new Date()'),
      runInNewContext('new (class Object {})()'),
    ]) {
      expect(isPlainObject(value)).toBe(false);
    }
  });

  it('is not null or a primitive', () => {
    for (const value of [null, undefined, 'a', 1, true]) {
      expect(isPlainObject(value)).toBe(false);
    }
  });
});
