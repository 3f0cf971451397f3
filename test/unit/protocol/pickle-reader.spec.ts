import {
  PickleFormatError,
  PythonObject,
  exceptionInfoOf,
  pythonValueAsText,
  readPickle,
  writePickle,
} from '../../../lib/protocol';
import { runPython as python } from '../../support/run-python';

/** Python expressions of plain data, each with the JSON a reader must give back. */
const PLAIN: [string, string, unknown][] = [
  ['None', 'None', null],
  ['booleans', '[True, False]', [true, false]],
  [
    'integers of every width',
    '[0, 255, 256, 65535, 65536, -1, 2**31-1, -2**31, 2**31, -2**31-1, 2**53-1, -(2**53-1)]',
    [
      0,
      255,
      256,
      65535,
      65536,
      -1,
      2 ** 31 - 1,
      -(2 ** 31),
      2 ** 31,
      -(2 ** 31) - 1,
      2 ** 53 - 1,
      -(2 ** 53 - 1),
    ],
  ],
  [
    'floats',
    "[0.5, -1.25, 1e300, float('inf')]",
    [0.5, -1.25, 1e300, Infinity],
  ],
  ['strings', "['', 'héllo ✓', 'x' * 300]", ['', 'héllo ✓', 'x'.repeat(300)]],
  [
    'nested containers and a tuple',
    "{'a': [1, 2.5, None, True], 'b': {'c': 'd'}, 'e': (1, 't'), 'f': [], 'g': ()}",
    { a: [1, 2.5, null, true], b: { c: 'd' }, e: [1, 't'], f: [], g: [] },
  ],
  [
    'a string shared (memo)',
    "(lambda k: [k, k, {k: k}])('k' * 3)",
    ['kkk', 'kkk', { kkk: 'kkk' }],
  ],
  [
    'int and None keys',
    "{1: 'one', None: 'none'}",
    { '1': 'one', null: 'none' },
  ],
  ['a set', '{7}', [7]],
  [
    'an OrderedDict',
    "__import__('collections').OrderedDict([('z', 1), ('a', 2)])",
    { z: 1, a: 2 },
  ],
  [
    'a long list (batched APPENDS)',
    'list(range(2500))',
    Array.from({ length: 2500 }, (_, i) => i),
  ],
];

describe('readPickle: bytes made by Python', () => {
  describe.each([2, 3, 4, 5])('protocol %i', (protocol) => {
    it.each(PLAIN)('reads %s', (_name, expression, expected) => {
      const hex = python(
        `import pickle; print(pickle.dumps(${expression}, protocol=${protocol}).hex())`,
      );
      expect(readPickle(Buffer.from(hex.trim(), 'hex'))).toEqual(expected);
    });

    it('reads bytes as a Buffer', () => {
      const hex = python(
        `import pickle; print(pickle.dumps([b'ab', b''], protocol=${protocol}).hex())`,
      );
      expect(readPickle(Buffer.from(hex.trim(), 'hex'))).toEqual([
        Buffer.from('ab'),
        Buffer.alloc(0),
      ]);
    });

    it('reads an exception instance as its class and args, in Celery’s JSON form', () => {
      const hex = python(
        `import pickle; print(pickle.dumps(ValueError('bad', 3), protocol=${protocol}).hex())`,
      );
      const object = readPickle(Buffer.from(hex.trim(), 'hex'));
      expect(object).toBeInstanceOf(PythonObject);
      expect(exceptionInfoOf(object as PythonObject)).toEqual({
        exc_type: 'ValueError',
        exc_module: 'builtins',
        exc_message: ['bad', 3],
      });
    });

    it('reads an exception with attributes set (BUILD) and Celery’s UnpickleableExceptionWrapper', () => {
      const hex = python(
        [
          'import pickle',
          'from celery.utils.serialization import UnpickleableExceptionWrapper',
          "e = KeyError('k'); e.note = 'n'",
          "w = UnpickleableExceptionWrapper('app.errors', 'OddError', ('x',), 'OddError(x)')",
          `print(pickle.dumps([e, w], protocol=${protocol}).hex())`,
        ].join('\n'),
      );
      const [error, wrapper] = readPickle(
        Buffer.from(hex.trim(), 'hex'),
      ) as PythonObject[];
      expect(error.state).toEqual({ note: 'n' });
      expect(exceptionInfoOf(error)).toEqual({
        exc_type: 'KeyError',
        exc_module: 'builtins',
        exc_message: ['k'],
      });
      expect(exceptionInfoOf(wrapper)).toEqual({
        exc_type: 'OddError',
        exc_module: 'app.errors',
        exc_message: ['x'],
      });
    });
  });

  it('refuses an integer beyond 2^53 rather than rounding it', () => {
    const hex = python(
      'import pickle; print(pickle.dumps(2**60, protocol=4).hex())',
    );
    expect(() => readPickle(Buffer.from(hex.trim(), 'hex'))).toThrow(
      /beyond what JavaScript holds exactly/,
    );
  });

  it('refuses a truncated pickle and an unknown opcode, saying where', () => {
    const whole = writePickle({ a: [1, 2] });
    expect(() => readPickle(whole.subarray(0, whole.length - 3))).toThrow(
      PickleFormatError,
    );
    expect(() => readPickle(Buffer.from([0x80, 4, 0x49, 0x2e]))).toThrow(
      /byte 2: opcode 0x49/,
    );
  });
});

describe('pythonValueAsText: dates and decimals as kombu’s JSON writes them', () => {
  it.each([2, 4, 5])(
    'protocol %i: isoformat() of datetime, date, time; Decimal digits',
    (protocol) => {
      const out = python(
        [
          'import pickle, datetime, decimal, json',
          'tz = datetime.timezone',
          'values = [datetime.datetime(2026, 12, 6, 3, 4, 5, 123456, tzinfo=tz.utc),',
          '          datetime.datetime(999, 1, 2, 3, 4, 5),',
          '          datetime.datetime(2026, 1, 1, tzinfo=tz(datetime.timedelta(hours=5, minutes=30))),',
          '          datetime.datetime(2026, 1, 1, tzinfo=tz(-datetime.timedelta(hours=3))),',
          '          datetime.date(2026, 2, 28), datetime.time(23, 59, 58, 10), decimal.Decimal("1.10")]',
          `print(json.dumps([pickle.dumps(values, protocol=${protocol}).hex(), [str(v) if isinstance(v, decimal.Decimal) else v.isoformat() for v in values]]))`,
        ].join('\n'),
      );
      const [hex, expected] = JSON.parse(out) as [string, string[]];
      const objects = readPickle(Buffer.from(hex, 'hex')) as PythonObject[];
      expect(objects.map(pythonValueAsText)).toEqual(expected);
    },
  );

  it('leaves other objects alone', () => {
    expect(
      pythonValueAsText(new PythonObject('fractions', 'Fraction', ['1/3'])),
    ).toBeUndefined();
  });
});
