import {
  EventJsonWriter,
  JsonFragment,
  JsonPlacement,
  jsonKey,
} from '../../../lib/protocol/event-json-writer';

/** The list's text: what a receiver reads (in-string: the inside of a JSON string). */
function written(writer: EventJsonWriter, tailRoom = 0): string {
  const { buffer, end } = writer.finish(tailRoom);
  expect(buffer.length - end).toBeGreaterThanOrEqual(tailRoom);
  return buffer.toString('utf8', writer.headRoom, end);
}

/** What JSON.stringify writes for the same list, placed the same way. */
function expected(events: unknown[], placement: JsonPlacement): string {
  const json = JSON.stringify(events);
  return placement === 'bare' ? json : JSON.stringify(json).slice(1, -1);
}

const awkwardStrings = [
  '',
  'plain ascii, with spaces',
  'quote " and backslash \\',
  'newline \n tab \t nul \u0000 escape \u001b del \u007f',
  'é, ü, 中文, emoji 🎉',
  'line separators \u2028 \u2029',
  'lone surrogates \ud800 and \udfff',
  "Python's repr: ('a', {'k': [1, 2.5, None]})",
];

const awkwardNumbers = [
  0,
  -0,
  1,
  7,
  10,
  99,
  100,
  2147483647,
  2147483648,
  -1,
  -2147483648,
  0.1,
  1.5,
  1e21,
  1.7976931348623157e308,
  5e-324,
  1765080000.123,
  NaN,
  Infinity,
  -Infinity,
];

describe.each<JsonPlacement>(['bare', 'in-string'])(
  'EventJsonWriter (%s)',
  (placement) => {
    it('writes what JSON.stringify writes for events of strings, numbers, booleans, null and nested values', () => {
      const events = [
        ...awkwardStrings.map((text, i) => ({ i, text, [text]: 'as a key' })),
        ...awkwardNumbers.map((n) => ({ n })),
        {
          yes: true,
          no: false,
          none: null,
          left: undefined,
          f: () => 1,
          list: [1, 'two', null, { three: 3 }],
          nested: { a: { b: ['c"'] } },
        },
        {},
      ];
      const writer = new EventJsonWriter(placement);
      for (const event of events) writer.add(event);
      expect(writer.count).toBe(events.length);
      expect(written(writer)).toBe(expected(events, placement));
    });

    it('writes an event piece by piece: fragments, text between them, values', () => {
      const writer = new EventJsonWriter(placement);
      const head = new JsonFragment(
        '"hostname":"n@h","timestamp":1765080000.5,"clock":',
      );
      const type = new JsonFragment(',"type":"task-received","uuid":"');
      for (const text of awkwardStrings) {
        writer
          .openEvent(head, 41, type)
          .text(text)
          .fragment(new JsonFragment('","n":'))
          .number(-3)
          .fragment(jsonKey('s'))
          .string(text)
          .fragment(jsonKey('maybe'))
          .stringOrNull(null)
          .fragment(jsonKey('runtime'))
          .seconds(1500.25)
          .close();
      }
      const events = awkwardStrings.map((text) => ({
        hostname: 'n@h',
        timestamp: 1765080000.5,
        clock: 41,
        type: 'task-received',
        uuid: text,
        n: -3,
        s: text,
        maybe: null,
        runtime: 1.50025,
      }));
      expect(written(writer)).toBe(expected(events, placement));
    });

    it('throws on a value JSON cannot write, and leaves the list as it was', () => {
      const writer = new EventJsonWriter(placement);
      writer.add({ n: 1 });
      const cycle: Record<string, unknown> = {};
      cycle.self = cycle;
      expect(() => writer.add({ ok: 'x', big: 1n })).toThrow(/BigInt/);
      expect(() => writer.add({ ok: 'x', cycle })).toThrow(/circular/);
      writer.add({ n: 2 });
      expect(writer.count).toBe(2);
      expect(written(writer)).toBe(expected([{ n: 1 }, { n: 2 }], placement));
    });

    it('grows past its first capacity, keeping the room asked for before and after the list', () => {
      const writer = new EventJsonWriter(
        placement,
        100,
        Buffer.allocUnsafe(64),
      );
      const long = 'x'.repeat(5000) + '"é';
      const events = Array.from({ length: 50 }, (_, i) => ({ i, long }));
      for (const event of events) writer.add(event);
      expect(writer.length).toBe(
        Buffer.byteLength(expected(events, placement)) - 1,
      );
      expect(written(writer, 300)).toBe(expected(events, placement));
    });
  },
);

describe('EventJsonWriter.seconds', () => {
  it.each([
    [0, '0.0'],
    [2, '0.002'],
    [0.123, '0.000123'],
    [0.0004, '0.0'],
    [1500, '1.5'],
    [12.3456789, '0.012346'],
    [999.9999, '1.0'],
    [86_400_000, '86400.0'],
  ])('%d ms is written %s seconds, to the microsecond', (ms, text) => {
    const writer = new EventJsonWriter('bare');
    writer.seconds(ms);
    expect(written(writer)).toBe(`[${text}]`);
  });

  it.each([-1, NaN, 1e20])(
    'writes %d ms (out of its range) as JSON.stringify writes the seconds',
    (ms) => {
      const writer = new EventJsonWriter('bare');
      writer.seconds(ms);
      expect(written(writer)).toBe(`[${JSON.stringify(ms / 1000)}]`);
    },
  );
});
