import { parseJson } from '../../../lib/protocol';

describe('parseJson', () => {
  it('reads plain JSON as JSON.parse does', () => {
    expect(
      parseJson('[[2, 3], {"z": 1}, {"callbacks": null, "chain": null}]'),
    ).toEqual([[2, 3], { z: 1 }, { callbacks: null, chain: null }]);
  });

  describe('kombu >= 5.3 tagged values', () => {
    it.each([
      [
        'datetime',
        '2026-11-22T02:39:19.867098+00:00',
        '2026-11-22T02:39:19.867098+00:00',
      ],
      ['date', '2026-11-22', '2026-11-22'],
      ['time', '02:39:19.867098', '02:39:19.867098'],
      ['decimal', '3314132.13363235235324234123213213214134', null],
      ['bytes', 'hello', 'hello'],
      ['base64', '/wA=', '/wA='],
    ])('reads a tagged %s as its text', (type, value, expected) => {
      const text = JSON.stringify({ v: { __type__: type, __value__: value } });
      expect(parseJson(text)).toEqual({ v: expected ?? value });
    });

    it('reads a tagged uuid, which kombu writes as {hex, version}, as its canonical text', () => {
      const text =
        '{"u": {"__type__": "uuid", "__value__": {"hex": "6F1C2B7A9D3E4F5A8B1C2D3E4F5A6B7C", "version": 4}}}';
      expect(parseJson(text)).toEqual({
        u: '6f1c2b7a-9d3e-4f5a-8b1c-2d3e4f5a6b7c',
      });
    });

    it('also reads a uuid tagged with its text', () => {
      const text =
        '{"__type__": "uuid", "__value__": "6f1c2b7a-9d3e-4f5a-8b1c-2d3e4f5a6b7c"}';
      expect(parseJson(text)).toBe('6f1c2b7a-9d3e-4f5a-8b1c-2d3e4f5a6b7c');
    });

    it('untags at any depth', () => {
      const text =
        '[[{"at": [{"__type__": "date", "__value__": "2026-11-22"}]}], {}, null]';
      expect(parseJson(text)).toEqual([[{ at: ['2026-11-22'] }], {}, null]);
    });

    it('leaves look-alikes alone: unknown types, extra keys, no __value__', () => {
      const values = [
        { __type__: 'set', __value__: [1] },
        { __type__: 'date', __value__: '2026-11-22', extra: 1 },
        { __type__: 'date' },
      ];
      expect(parseJson(JSON.stringify(values))).toEqual(values);
    });
  });

  describe("Python's non-finite floats", () => {
    it('reads NaN, Infinity and -Infinity, which json.dumps writes by default', () => {
      expect(
        parseJson('[[NaN, Infinity, -Infinity, 1.5], {"x": NaN}, null]'),
      ).toEqual([[NaN, Infinity, -Infinity, 1.5], { x: NaN }, null]);
    });

    it('leaves the same words inside strings untouched', () => {
      expect(
        parseJson('["NaN", "say \\"Infinity\\"", NaN, "-Infinity"]'),
      ).toEqual(['NaN', 'say "Infinity"', NaN, '-Infinity']);
    });

    it('still refuses text that is not JSON, with the parser error', () => {
      expect(() => parseJson('[1, 2')).toThrow(SyntaxError);
      expect(() => parseJson('[NaN, oops]')).toThrow(SyntaxError);
    });
  });
});
