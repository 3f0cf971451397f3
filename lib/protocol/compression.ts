import * as zlib from 'node:zlib';
import { MalformedMessageError, UnsupportedCompressionError } from './errors';
import { TaskMessage } from './message';

/**
 * kombu's compression methods (kombu/compression.py): the `compression` header carries
 * the content type on the right; the names on the left are kombu's aliases, which
 * Celery's `task_compression` and `apply_async(compression=...)` take.
 * kombu's `gzip` is zlib's format (RFC 1950, `zlib.compress`), not a gzip file.
 */
export const COMPRESSION_CONTENT_TYPES = {
  gzip: 'application/x-gzip',
  zlib: 'application/x-gzip',
  bzip2: 'application/x-bz2',
  bzip: 'application/x-bz2',
  brotli: 'application/x-brotli',
  lzma: 'application/x-lzma',
  xz: 'application/x-lzma',
  zstd: 'application/zstd',
  zstandard: 'application/zstd',
} as const;

/** A compression name kombu knows (`'gzip'`, `'brotli'`...). */
export type CompressionName = keyof typeof COMPRESSION_CONTENT_TYPES;

/** The methods Node's zlib can do: the others are refused, at send and on receipt. */
export const SUPPORTED_COMPRESSIONS: readonly CompressionName[] = [
  'gzip',
  'zlib',
  'brotli',
];

type Codec = {
  compress(bytes: Buffer): Buffer;
  decompress(bytes: Buffer, maxOutputLength: number): Buffer;
};

const CODECS: Record<string, Codec> = {
  'application/x-gzip': {
    compress: (bytes) => zlib.deflateSync(bytes),
    // unzip reads zlib (what kombu writes) and a real gzip stream alike.
    decompress: (bytes, maxOutputLength) =>
      zlib.unzipSync(bytes, { maxOutputLength }),
  },
  'application/x-brotli': {
    compress: (bytes) => zlib.brotliCompressSync(bytes),
    decompress: (bytes, maxOutputLength) =>
      zlib.brotliDecompressSync(bytes, { maxOutputLength }),
  },
};

/**
 * The `compression` header for a name or a content type (`'gzip'` →
 * `'application/x-gzip'`), or UnsupportedCompressionError.
 */
export function compressionHeader(compression: string): string {
  const contentType =
    (COMPRESSION_CONTENT_TYPES as Record<string, string>)[compression] ??
    compression;
  if (!Object.hasOwn(CODECS, contentType))
    throw new UnsupportedCompressionError(compression);
  return contentType;
}

/** The header's codec, accepting kombu's aliases as kombu's `get_decoder` does. */
function codecOf(header: unknown): Codec | undefined {
  if (typeof header !== 'string') return undefined;
  const contentType =
    (COMPRESSION_CONTENT_TYPES as Record<string, string>)[header] ?? header;
  return Object.hasOwn(CODECS, contentType) ? CODECS[contentType] : undefined;
}

/** The compression header of a message's headers, undefined when it has none. */
export function compressionOf(headers: unknown): unknown {
  if (headers === null || typeof headers !== 'object') return undefined;
  const value = (headers as Record<string, unknown>).compression;
  return value === null || value === '' ? undefined : value;
}

/** The body as it goes on the wire: UTF-8, compressed as the header says. */
export function encodeBody(body: string, headers: unknown): Buffer {
  const bytes = Buffer.from(body, 'utf8');
  const compression = compressionOf(headers);
  if (compression === undefined) return bytes;
  const codec = codecOf(compression);
  if (!codec) throw new UnsupportedCompressionError(compression);
  return codec.compress(bytes);
}

/** The most a compressed body may inflate to, unless told: kombu has no bound; this stops a bomb. */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 512 * 1024 * 1024;

/**
 * A compressed body as text, or a MalformedMessageError: ContentDisallowed for a method
 * Celeriac cannot read (bzip2, lzma, zstd), DecodeError for bytes that do not inflate
 * or inflate past `maxBytes`.
 */
export function decompressBody(
  bytes: Buffer,
  compression: unknown,
  maxBytes = DEFAULT_MAX_DECOMPRESSED_BYTES,
): string {
  const codec = codecOf(compression);
  if (!codec) {
    throw new MalformedMessageError(
      `compression ${JSON.stringify(compression)} is not supported (Celeriac reads ` +
        `application/x-gzip and application/x-brotli; bzip2, lzma and zstd are not in Node's zlib)`,
      'ContentDisallowed',
    );
  }
  let inflated: Buffer;
  try {
    inflated = codec.decompress(bytes, maxBytes);
  } catch (error) {
    throw new MalformedMessageError(
      `body does not decompress as ${String(compression)}: ${(error as Error).message}`,
    );
  }
  const text = inflated.toString('utf8');
  if (text.includes('\uFFFD') && !isUtf8(inflated))
    throw new MalformedMessageError('decompressed body is not UTF-8 text');
  return text;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function isUtf8(bytes: Buffer): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * What a transport puts in a TaskMessage for the bytes it received: the text, or
 * `undecodable` with the reason (the worker then stores a FAILURE and dead-letters it).
 */
export function readWireBody(
  bytes: Buffer,
  headers: unknown,
  maxBytes = DEFAULT_MAX_DECOMPRESSED_BYTES,
): Pick<TaskMessage, 'body' | 'undecodable'> {
  const compression = compressionOf(headers);
  if (compression === undefined) return { body: bytes.toString('utf8') };
  try {
    return { body: decompressBody(bytes, compression, maxBytes) };
  } catch (error) {
    if (!(error instanceof MalformedMessageError)) throw error;
    return {
      body: '',
      undecodable: { reason: error.message, excType: error.excType },
    };
  }
}
