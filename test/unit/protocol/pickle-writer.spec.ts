import { readPickle, writePickle } from '../../../lib/protocol';
import { runPython as python } from '../../support/run-python';

describe('writePickle: Python reads back the same value', () => {
  const values: unknown[] = [
    null,
    true,
    false,
    0,
    255,
    256,
    65_536,
    -1,
    2 ** 31,
    -(2 ** 31) - 1,
    2 ** 53 - 1,
    -(2 ** 53 - 1),
    12_345_678_901_234_567_890n,
    0.1,
    -0,
    1e300,
    '',
    'héllo ✓ 😀',
    'y'.repeat(70_000),
    [],
    [1, [2, [3]]],
    {},
    { status: 'SUCCESS', nested: { list: [1.5, 'x', null] } },
    { exc_type: 'ValueError', exc_message: ['bad'], exc_module: 'builtins' },
  ];

  it.each(values.map((value, i) => [i, value]))('value %i', (_i, value) => {
    const json = python(
      'import pickle, sys, json; print(json.dumps(pickle.loads(bytes.fromhex(sys.stdin.read()))))',
      writePickle(value).toString('hex'),
    ).trim();
    if (typeof value === 'bigint') {
      expect(json).toBe(value.toString());
    } else {
      expect(JSON.parse(json)).toEqual(value);
      expect(readPickle(writePickle(value))).toEqual(value);
    }
  });

  it('writes a whole float as a float once JSON would (1e300), and bytes as bytes', () => {
    const repr = python(
      'import pickle, sys; print(repr(pickle.loads(bytes.fromhex(sys.stdin.read()))))',
      writePickle([1e300, 2 ** 60, Buffer.from('ab')]).toString('hex'),
    ).trim();
    expect(repr).toBe("[1e+300, 1152921504606846976, b'ab']");
  });

  it('refuses a cycle and a function', () => {
    const cycle: unknown[] = [];
    cycle.push(cycle);
    expect(() => writePickle(cycle)).toThrow(/cycle/);
    expect(() => writePickle(() => 1)).toThrow(/function is not plain data/);
  });
});
