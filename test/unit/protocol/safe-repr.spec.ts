import {
  ARGSREPR_MAX_LENGTH,
  buildTaskMessage,
  safeRepr,
} from '../../../lib/protocol';
import { pythonReprsOf, REPR_SAMPLES } from '../../support/repr-samples';

// Expected values are what Celery's saferepr (celery/utils/saferepr.py) prints for the
// same Python values: it writes argsrepr/kwargsrepr, not Python's repr().
describe('safeRepr', () => {
  it('matches the captured argsrepr/kwargsrepr', () => {
    expect(safeRepr([2, 3])).toBe('[2, 3]');
    expect(safeRepr({ z: 1 })).toBe("{'z': 1}");
    expect(safeRepr({})).toBe('{}');
  });

  it('writes empty args as [] (we send a list; Celery printed () because its args were a tuple)', () => {
    expect(safeRepr([])).toBe('[]');
  });

  it('writes booleans, None, numbers and strings the Python way', () => {
    expect(safeRepr([true, false, null, 1.5, -7, 'x'])).toBe(
      "[True, False, None, 1.5, -7, 'x']",
    );
    expect(safeRepr(undefined)).toBe('None');
    expect(safeRepr([NaN, Infinity, -Infinity])).toBe('[nan, inf, -inf]');
  });

  it("quotes strings in single quotes and escapes only ' (as saferepr, unlike repr)", () => {
    expect(
      safeRepr([
        "it's",
        'say "hi"',
        'both \' and "',
        'line\nbreak',
        'back\\slash',
      ]),
    ).toBe(
      "['it\\'s', 'say \"hi\"', 'both \\' and \"', 'line\nbreak', 'back\\slash']",
    );
    expect(safeRepr({ "it's": 1 })).toBe("{'it\\'s': 1}");
  });

  it('writes nested data', () => {
    expect(safeRepr({ user: { name: 'Ann', tags: ['a', 'b'] } })).toBe(
      "{'user': {'name': 'Ann', 'tags': ['a', 'b']}}",
    );
  });

  it('elides containers nested deeper than three levels, as saferepr does', () => {
    expect(safeRepr([1, [2, [3, [4, [5]]]]])).toBe('[1, [2, [3, [...]]]]');
    expect(safeRepr([{ a: { b: { c: { d: 1 } } } }])).toBe(
      "[{'a': {'b': {...}}}]",
    );
    expect(safeRepr([1, [2, [3, [4, [5]]]]], { maxLevels: 0 })).toBe(
      '[1, [2, [3, [4, [5]]]]]',
    );
  });

  it('writes a hole of a sparse array as None', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(safeRepr([1, , 3])).toBe('[1, None, 3]');
  });

  describe('with maxLength, as saferepr(o, maxlen)', () => {
    it('stops with ", ..." and still closes the brackets', () => {
      expect(
        safeRepr([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], {
          maxLength: 20,
        }),
      ).toBe('[1, 2, 3, 4, 5, 6, 7..., ...]');
      expect(
        safeRepr(
          { name: 'a long sentence with several words in it', n: 1 },
          { maxLength: 30 },
        ),
      ).toBe("{'name': 'a long sentence with...', ...}");
      // saferepr itself drops the bracket whose turn came when the budget ran out
      // ("['x', 'aaaaaaaaaaaaaa...', ..."): we keep it.
      expect(safeRepr(['x', 'a'.repeat(100)], { maxLength: 20 })).toBe(
        "['x', 'aaaaaaaaaaaaaa...', ...]",
      );
    });

    it('is what buildTaskMessage uses, so a big argument cannot blow up the headers', () => {
      const big = 'x'.repeat(200_000);
      const message = buildTaskMessage({
        name: 'files.store',
        id: 'a5e7a51a-0600-40ac-a93f-3e84ca69a206',
        args: [big, Array.from({ length: 50_000 }, (_, i) => i)],
        kwargs: { content: big },
        origin: 'gen1@host',
      });
      expect(ARGSREPR_MAX_LENGTH).toBe(1024);
      expect(message.headers.argsrepr.length).toBeLessThan(1100);
      expect(message.headers.kwargsrepr.length).toBeLessThan(1100);
      expect(message.headers.argsrepr).toMatch(
        /^\['x{1000,}\.\.\.', \.\.\.\]$/,
      );
      expect(message.headers.kwargsrepr).toMatch(
        /^\{'content': 'x{1000,}\.\.\.', \.\.\.\}$/,
      );
    });
  });
});

describe('safeRepr: the one-pass path for short values', () => {
  // The general path (tokens, cut where saferepr cuts) is the reference: a filler
  // longer than any budget forces it; the value sits one level deeper, hence maxLevels 4.
  const filler = 'y'.repeat(2000);
  const values: unknown[] = [
    [],
    {},
    [1, 'a', null, true, 2.5, -0, NaN],
    { a: [1, { b: ["it's", 'x'] }], "k'ey": null },
    [1, [2, [3, [4]]]],
    [undefined, , 3], // eslint-disable-line no-sparse-arrays
    { when: new Date(0), big: 10n, f: () => 1 },
    'x'.repeat(1020),
  ];

  it.each(values.map((value) => [value]))(
    'writes %p as the general path does',
    (value) => {
      const general = safeRepr([filler, value], {
        maxLength: 1e9,
        maxLevels: 4,
      });
      expect(general).toBe(`['${filler}', ${safeRepr(value)}]`);
    },
  );

  it('leaves values at the limit to the general path', () => {
    expect(safeRepr(5, { maxLength: 0 })).toBe(', ...');
    expect(safeRepr(['a'.repeat(1030)], { maxLength: 1024 })).toBe(
      `['${'a'.repeat(1023)}...', ...]`,
    );
  });
});

describe('safeRepr beside Celery 5.2 saferepr', () => {
  const expected = pythonReprsOf(REPR_SAMPLES);

  it.each(REPR_SAMPLES.map((value, i) => [value, expected[i].saferepr]))(
    'writes %p as celery.utils.saferepr does after json.loads: %s',
    (value, saferepr) => {
      expect(safeRepr(value)).toBe(saferepr);
    },
  );
});
