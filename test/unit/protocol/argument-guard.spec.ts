import { runInNewContext } from 'node:vm';
import {
  ArgumentNotDataError,
  guardArguments,
  guardArgumentsForSend,
  toPlainData,
  toPlainResult,
  ResultNotDataError,
} from '../../../lib/protocol';

/** An entity, as a TypeORM/Prisma/Mongoose user would have loaded it. */
class Event {
  constructor(
    readonly id: number,
    readonly title: string,
    readonly participants: string[] = [],
  ) {}
}

function refusal(run: () => unknown): ArgumentNotDataError {
  try {
    run();
  } catch (error) {
    if (error instanceof ArgumentNotDataError) return error;
    throw error;
  }
  throw new Error('expected an ArgumentNotDataError, nothing was thrown');
}

describe('guardArguments', () => {
  describe('the seed story: updateParticipants(event, 23)', () => {
    const event = new Event(42, 'Launch', ['ann']);

    it('refuses the entity, naming args[0] and class Event, and says to pass the id', () => {
      const error = refusal(() => guardArguments([event, 23], {}));
      expect(error).toBeInstanceOf(TypeError);
      expect(error.name).toBe('ArgumentNotDataError');
      expect(error.path).toBe('args[0]');
      expect(error.message).toContain('args[0]');
      expect(error.message).toContain('class Event');
      expect(error.message).toMatch(/pass the record's id/i);
      expect(error.message).toContain('event.id');
    });

    it("names the id after the entity's class", () => {
      class VideoFile {
        id = 'v1';
      }
      expect(
        refusal(() => guardArguments([], { file: new VideoFile() })).message,
      ).toContain('`videoFile.id`');
    });

    it('lets updateParticipants(event.id, 23) through unchanged', () => {
      expect(guardArguments([event.id, 23], {})).toEqual({
        args: [42, 23],
        kwargs: {},
      });
    });
  });

  describe('names the path of the offending value', () => {
    it.each<[string, unknown[], Record<string, unknown>, string]>([
      [
        'a property of an argument',
        [1, { owner: new Event(1, 'x') }],
        {},
        'args[1].owner',
      ],
      [
        'a nested keyword argument',
        [],
        { user: { address: new Map() } },
        'kwargs.user.address',
      ],
      ['an element of a list', [[1, 2, () => 3]], {}, 'args[0][2]'],
      [
        'a key that is not an identifier',
        [],
        { 'first-name': Symbol('x') },
        'kwargs["first-name"]',
      ],
      ['a numeric key', [{ 0: 1n }], {}, 'args[0]["0"]'],
      ['a key with a dot', [{ 'a.b': new Set() }], {}, 'args[0]["a.b"]'],
      ['a top-level keyword argument', [], { when: NaN }, 'kwargs.when'],
    ])('%s', (_what, args, kwargs, path) => {
      expect(refusal(() => guardArguments(args, kwargs)).path).toBe(path);
    });
  });

  describe('refuses what JSON cannot carry', () => {
    it.each<[string, unknown, RegExp]>([
      ['a function', () => 1, /is a function/],
      ['a class (constructor)', Event, /is a function/],
      ['a symbol', Symbol('s'), /is a symbol/],
      ['a BigInt', 10n, /BigInt.*string/],
      ['NaN', NaN, /is NaN/],
      ['Infinity', Infinity, /is Infinity/],
      ['-Infinity', -Infinity, /is -Infinity/],
      ['a Map', new Map([[1, 2]]), /class Map/],
      ['a Set', new Set([1]), /class Set/],
      ['a Buffer', Buffer.from('hi'), /class Buffer/],
      ['a typed array', new Uint8Array(2), /class Uint8Array/],
      ['a Promise', Promise.resolve(1), /class Promise/],
      ['an Error', new Error('x'), /class Error/],
      ['a boxed string', new String('x'), /class String/],
      [
        'an instance of an anonymous class',
        new (class {})(),
        /an instance of a class/,
      ],
      ['an invalid Date', new Date('nope'), /invalid Date/],
    ])('%s', (_what, value, reason) => {
      const error = refusal(() => guardArguments([value], {}));
      expect(error.path).toBe('args[0]');
      expect(error.message).toMatch(reason);
    });

    it('a property keyed by a symbol', () => {
      const error = refusal(() =>
        guardArguments([{ a: 1, [Symbol('k')]: 2 }], {}),
      );
      expect(error.path).toBe('args[0][Symbol(k)]');
    });

    it('keyword arguments that are themselves a class instance', () => {
      const kwargs = new Event(1, 'x') as unknown as Record<string, unknown>;
      const error = refusal(() => guardArguments([], kwargs));
      expect(error.path).toBe('kwargs');
      expect(error.message).toContain('class Event');
    });
  });

  describe('cycles', () => {
    it('refuses a cycle, at the path that closes it', () => {
      const node: Record<string, unknown> = { name: 'a' };
      node.self = node;
      const error = refusal(() => guardArguments([node], {}));
      expect(error.path).toBe('args[0].self');
      expect(error.message).toMatch(/cycle/);
    });

    it('refuses a cycle through the kwargs object itself, at the path that closes it', () => {
      const kwargs: Record<string, unknown> = {};
      kwargs.again = kwargs;
      expect(refusal(() => guardArguments([], kwargs)).path).toBe(
        'kwargs.again',
      );
    });

    it('refuses a cycle through the args list itself, at the path that closes it', () => {
      const args: unknown[] = [1];
      args.push(args);
      expect(refusal(() => guardArguments(args, {})).path).toBe('args[1]');
    });

    it('allows the same object twice when it does not contain itself', () => {
      const shared = { id: 7 };
      const { args, kwargs } = guardArguments([shared, [shared]], {
        also: shared,
      });
      expect(args).toEqual([{ id: 7 }, [{ id: 7 }]]);
      expect(kwargs).toEqual({ also: { id: 7 } });
    });
  });

  describe('accepts and prepares plain data', () => {
    it('keeps JSON values as they are, nested', () => {
      const data = {
        s: 'x',
        n: 1.5,
        b: false,
        z: null,
        list: [1, { deep: ['y'] }],
      };
      expect(guardArguments([data], { data })).toEqual({
        args: [data],
        kwargs: { data },
      });
    });

    it('returns copies, never the caller objects', () => {
      const data = { list: [1] };
      const { args } = guardArguments([data], {});
      expect(args[0]).not.toBe(data);
      expect((args[0] as typeof data).list).not.toBe(data.list);
    });

    it('accepts objects without a prototype (Object.create(null))', () => {
      const bare = Object.create(null) as Record<string, unknown>;
      bare.id = 3;
      expect(guardArguments([bare], {}).args).toEqual([{ id: 3 }]);
    });

    it('accepts plain objects and arrays from another realm (vm context)', () => {
      const foreign = runInNewContext('({ id: 1, tags: ["a"] })') as unknown;
      expect(guardArguments([foreign], {}).args).toEqual([
        { id: 1, tags: ['a'] },
      ]);
    });

    it('turns Dates into ISO strings, at any depth', () => {
      const when = new Date('2026-11-22T02:39:19.867Z');
      expect(guardArguments([when], { at: { when } })).toEqual({
        args: ['2026-11-22T02:39:19.867Z'],
        kwargs: { at: { when: '2026-11-22T02:39:19.867Z' } },
      });
    });

    it('treats undefined as JSON.stringify does: null in a list, dropped from an object', () => {
      const { args, kwargs } = guardArguments(
        [undefined, [undefined], { a: undefined, b: 1 }],
        {
          gone: undefined,
        },
      );
      expect(args).toEqual([null, [null], { b: 1 }]);
      expect(Object.keys(args[2] as object)).toEqual(['b']);
      expect(kwargs).toEqual({});
      expect(Object.keys(kwargs)).toEqual([]);
    });

    it('turns holes of sparse arrays into null', () => {
      // eslint-disable-next-line no-sparse-arrays
      const { args } = guardArguments([[1, , 3]], {});
      expect(args[0]).toEqual([1, null, 3]);
      expect(1 in (args[0] as unknown[])).toBe(true);
    });

    it('keeps a "__proto__" key as data, as JSON.parse produced it', () => {
      const parsed = JSON.parse(
        '{"__proto__": {"admin": true}, "id": 1}',
      ) as unknown;
      const { args } = guardArguments([parsed], {});
      expect(JSON.stringify(args[0])).toBe(
        '{"__proto__":{"admin":true},"id":1}',
      );
      expect(Object.getPrototypeOf(args[0])).toBe(Object.prototype);
    });
  });
});

describe('toPlainData', () => {
  it('guards one value under the path it is given', () => {
    expect(toPlainData({ at: new Date(0) }, 'result')).toEqual({
      at: '1970-01-01T00:00:00.000Z',
    });
    expect(
      refusal(() => toPlainData({ e: new Event(1, 'x') }, 'result')).path,
    ).toBe('result.e');
  });
});

describe('toPlainResult', () => {
  it("refuses a result that is not data with an error about the result, stored as kombu's EncodeError", () => {
    let error: unknown;
    try {
      toPlainResult({ total: Number.NaN }, 'the result');
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ResultNotDataError);
    expect(error).toMatchObject({
      name: 'EncodeError',
      excModule: 'kombu.exceptions',
      path: 'the result.total',
    });
    expect((error as Error).message).toContain(
      "the result.total is NaN, which JSON cannot carry. A task's result is stored as data (JSON)",
    );
    expect((error as Error).message).not.toContain('arguments');
  });
});

describe('guardArgumentsForSend', () => {
  it('returns plain JSON as it is, without a copy', () => {
    const args = [1, 'a', { list: [true, null] }];
    const kwargs = { z: { y: [1.5] } };
    const plain = guardArgumentsForSend(args, kwargs);
    expect(plain.args).toBe(args);
    expect(plain.kwargs).toBe(kwargs);
  });

  it.each([
    ['a Date', [new Date(0)], ['1970-01-01T00:00:00.000Z']],
    ['undefined in a list', [undefined], [null]],
    ['undefined in an object', [{ a: undefined, b: 1 }], [{ b: 1 }]],
    ['a hole', [1, , 3], [1, null, 3]], // eslint-disable-line no-sparse-arrays
  ])('prepares %s as guardArguments does', (_what, args, expected) => {
    expect(guardArgumentsForSend(args, {}).args).toEqual(expected);
  });

  it('refuses what guardArguments refuses, with the path', () => {
    class User {
      id = 1;
    }
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => guardArgumentsForSend([{ u: new User() }], {})).toThrow(
      /args\[0\]\.u/,
    );
    expect(() => guardArgumentsForSend([cycle], {})).toThrow(/cycle/);
    expect(() => guardArgumentsForSend([1], { n: NaN })).toThrow(/kwargs\.n/);
    expect(() => guardArgumentsForSend([{ [Symbol('s')]: 1 }], {})).toThrow(
      /symbol/,
    );
  });
});
