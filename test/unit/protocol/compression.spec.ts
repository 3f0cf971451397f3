import { deflateSync, gzipSync } from 'node:zlib';
import {
  MalformedMessageError,
  UnsupportedCompressionError,
  compressionHeader,
  decompressBody,
  encodeBody,
  readWireBody,
} from '../../../lib/protocol';

// What Python's kombu 5.2 writes for compress(b'[[2, 3], {}, null]', 'gzip'):
// zlib.compress's output (RFC 1950, starts 0x78 0x9c), under application/x-gzip.
const KOMBU_GZIP = Buffer.from(
  'eJyLjjbSUTCO1VGortVRyCvNyYkFAC6wBW0=',
  'base64',
);

describe('compression as kombu does it', () => {
  it.each([
    ['gzip', 'application/x-gzip'],
    ['zlib', 'application/x-gzip'],
    ['brotli', 'application/x-brotli'],
    ['application/x-gzip', 'application/x-gzip'],
  ])('%s is written as the header %s', (name, header) => {
    expect(compressionHeader(name)).toBe(header);
  });

  it.each(['bzip2', 'lzma', 'zstd', 'application/x-bz2', 'snappy'])(
    '%s is refused at send with UnsupportedCompressionError',
    (name) => {
      expect(() => compressionHeader(name)).toThrow(
        UnsupportedCompressionError,
      );
      expect(() => compressionHeader(name)).toThrow(/bzip2, lzma and zstd/);
    },
  );

  it("reads kombu's gzip (zlib's format) body", () => {
    expect(decompressBody(KOMBU_GZIP, 'application/x-gzip')).toBe(
      '[[2, 3], {}, null]',
    );
  });

  it('reads a real gzip stream under the same header, and the alias "zlib"', () => {
    const text = '[[1], {}, null]';
    expect(decompressBody(gzipSync(text), 'application/x-gzip')).toBe(text);
    expect(decompressBody(deflateSync(text), 'zlib')).toBe(text);
  });

  it('writes gzip as zlib.compress does (Python reads it with zlib.decompress)', () => {
    const bytes = encodeBody('[[2, 3], {}, null]', {
      compression: 'application/x-gzip',
    });
    expect(bytes[0]).toBe(0x78);
    expect(decompressBody(bytes, 'application/x-gzip')).toBe(
      '[[2, 3], {}, null]',
    );
  });

  it('round-trips brotli', () => {
    const text = JSON.stringify([['x'.repeat(10_000)], {}, null]);
    const bytes = encodeBody(text, { compression: 'application/x-brotli' });
    expect(bytes.length).toBeLessThan(200);
    expect(decompressBody(bytes, 'application/x-brotli')).toBe(text);
  });

  it('leaves a body without the header as UTF-8', () => {
    expect(encodeBody('[[], {}, null]', { compression: null })).toEqual(
      Buffer.from('[[], {}, null]'),
    );
    expect(readWireBody(Buffer.from('[1]'), {})).toEqual({ body: '[1]' });
  });

  it('marks a bzip2 body undecodable with ContentDisallowed, a corrupt one with DecodeError', () => {
    const bz2 = readWireBody(Buffer.from('BZh9'), {
      compression: 'application/x-bz2',
    });
    expect(bz2.body).toBe('');
    expect(bz2.undecodable?.excType).toBe('ContentDisallowed');
    expect(bz2.undecodable?.reason).toMatch(/compression "application\/x-bz2"/);
    const corrupt = readWireBody(Buffer.from('not zlib'), {
      compression: 'application/x-gzip',
    });
    expect(corrupt.undecodable?.excType).toBe('DecodeError');
    expect(corrupt.undecodable?.reason).toMatch(/does not decompress/);
  });

  it('stops a body that inflates past the bound (a zip bomb)', () => {
    const bomb = deflateSync(Buffer.alloc(10_000, 0x20));
    expect(() => decompressBody(bomb, 'application/x-gzip', 1000)).toThrow(
      MalformedMessageError,
    );
  });
});
