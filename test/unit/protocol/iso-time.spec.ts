import { parseCeleryIso, toCeleryIso } from '../../../lib/protocol';

const iso = (text: string) => parseCeleryIso(text)?.toISOString() ?? null;

describe('toCeleryIso', () => {
  it('writes six fraction digits and an explicit +00:00, as Python isoformat() on an aware UTC datetime', () => {
    expect(toCeleryIso(new Date('2026-11-22T02:39:19.867Z'))).toBe(
      '2026-11-22T02:39:19.867000+00:00',
    );
    expect(toCeleryIso(new Date('2026-11-22T02:39:19Z'))).toBe(
      '2026-11-22T02:39:19.000000+00:00',
    );
  });

  it('gives each millisecond its own text, called again and again', () => {
    const times = [5, 5, 6, 5, 1_000_000_000_000].map((ms) => new Date(ms));
    expect(times.map(toCeleryIso)).toEqual([
      '1970-01-01T00:00:00.005000+00:00',
      '1970-01-01T00:00:00.005000+00:00',
      '1970-01-01T00:00:00.006000+00:00',
      '1970-01-01T00:00:00.005000+00:00',
      '2001-09-09T01:46:40.000000+00:00',
    ]);
    expect(() => toCeleryIso(new Date(Number.NaN))).toThrow(RangeError);
  });

  it('round-trips through parseCeleryIso', () => {
    const date = new Date('2026-11-22T02:39:19.867Z');
    expect(parseCeleryIso(toCeleryIso(date))).toEqual(date);
  });
});

describe('parseCeleryIso', () => {
  it('parses the captured eta to the millisecond, truncating microseconds', () => {
    expect(iso('2026-11-22T02:39:19.867098+00:00')).toBe(
      '2026-11-22T02:39:19.867Z',
    );
    expect(iso('2026-11-22T02:39:19.999999+00:00')).toBe(
      '2026-11-22T02:39:19.999Z',
    );
  });

  it('reads a naive time (Celery <= 5.4 date_done) as UTC, never local time', () => {
    expect(iso('2026-11-22T02:39:25.965635')).toBe('2026-11-22T02:39:25.965Z');
  });

  it('reads Celery 5.5 date_done with an offset', () => {
    expect(iso('2026-11-22T02:39:25.965635+00:00')).toBe(
      '2026-11-22T02:39:25.965Z',
    );
  });

  it.each([
    ['2026-11-22T02:39:19+00:00', '2026-11-22T02:39:19.000Z'],
    ['2026-11-22T02:39:19Z', '2026-11-22T02:39:19.000Z'],
    ['2026-11-22T02:39:19.5', '2026-11-22T02:39:19.500Z'],
    ['2026-11-22T02:39', '2026-11-22T02:39:00.000Z'],
    ['2026-11-22 02:39:19.123456', '2026-11-22T02:39:19.123Z'],
    ['2026-11-22', '2026-11-22T00:00:00.000Z'],
    ['2026-11-22T02:39:19.867098+05:30', '2026-11-21T21:09:19.867Z'],
    ['2026-11-22T02:39:19-0500', '2026-11-22T07:39:19.000Z'],
    ['2026-11-22T02:39:19+01', '2026-11-22T01:39:19.000Z'],
    ['2028-02-29T00:00:00', '2028-02-29T00:00:00.000Z'],
  ])('parses %s', (text, expected) => {
    expect(iso(text)).toBe(expected);
  });

  it.each([
    '',
    '1',
    '2026',
    'tomorrow',
    '12/01/2026',
    'Sun Nov 22 2026',
    '2026-02-30T00:00:00',
    '2027-02-29T00:00:00',
    '2026-13-01T00:00:00',
    '2026-11-22T24:00:00',
    '2026-11-22T02:60:00',
    '2026-11-22T02:39:19+25:00',
    '2026-11-22T02:39:19 +00:00',
  ])('refuses %j', (text) => {
    expect(parseCeleryIso(text)).toBeNull();
  });
});
