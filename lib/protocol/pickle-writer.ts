import { PickleFormatError } from './errors';

/**
 * Writes plain data as a protocol-4 pickle that Python's `pickle.loads` (and so
 * SQLAlchemy's PickleType in Celery's database backend) reads back as the same value:
 * null/undefined as None, booleans, numbers (integers as int, others as float), bigint
 * as int, strings, Buffer/Uint8Array as bytes, arrays as lists, plain objects as dicts.
 * A value with `toJSON` (a Date) is written as what that returns, as JSON would.
 * Throws PickleFormatError on a cycle, a function or a symbol.
 */
export function writePickle(value: unknown): Buffer {
  const writer = new PickleWriter();
  writer.write(value, new Set());
  const body = Buffer.concat([...writer.chunks, Buffer.from([0x2e])]);
  const frame = Buffer.alloc(11);
  frame[0] = 0x80; // PROTO
  frame[1] = 4;
  frame[2] = 0x95; // FRAME
  frame.writeBigUInt64LE(BigInt(body.length), 3);
  return Buffer.concat([frame, body]);
}

class PickleWriter {
  readonly chunks: Buffer[] = [];

  write(value: unknown, path: Set<object>): void {
    if (value === null || value === undefined) return this.op(0x4e);
    switch (typeof value) {
      case 'boolean':
        return this.op(value ? 0x88 : 0x89);
      case 'number':
        return this.number(value);
      case 'bigint':
        return this.long(value);
      case 'string':
        return this.string(value);
      case 'object':
        return this.object(value, path);
      default:
        throw new PickleFormatError(`a ${typeof value} is not plain data`, 0);
    }
  }

  private object(value: object, path: Set<object>): void {
    if (value instanceof Uint8Array) return this.bytes(value);
    const json = (value as { toJSON?: () => unknown }).toJSON;
    if (typeof json === 'function') return this.write(json.call(value), path);
    if (path.has(value))
      throw new PickleFormatError('a cycle is not plain data', 0);
    path.add(value);
    if (Array.isArray(value)) {
      this.op(0x5d); // EMPTY_LIST
      if (value.length > 0) {
        this.op(0x28); // MARK
        for (const item of value) this.write(item, path);
        this.op(0x65); // APPENDS
      }
    } else {
      const entries = Object.entries(value).filter(
        ([, item]) => item !== undefined && typeof item !== 'function',
      );
      this.op(0x7d); // EMPTY_DICT
      if (entries.length > 0) {
        this.op(0x28); // MARK
        for (const [key, item] of entries) {
          this.string(key);
          this.write(item, path);
        }
        this.op(0x75); // SETITEMS
      }
    }
    path.delete(value);
  }

  private number(value: number): void {
    // As JSON would: 1e300 is a float to Python, 2 ** 60 an int.
    if (
      !Number.isInteger(value) ||
      Object.is(value, -0) ||
      String(value).includes('e')
    ) {
      const bytes = Buffer.alloc(9);
      bytes[0] = 0x47; // BINFLOAT
      bytes.writeDoubleBE(value, 1);
      this.chunks.push(bytes);
    } else if (value >= 0 && value < 0x100) {
      this.chunks.push(Buffer.from([0x4b, value])); // BININT1
    } else if (value >= 0 && value < 0x10000) {
      const bytes = Buffer.from([0x4d, 0, 0]); // BININT2
      bytes.writeUInt16LE(value, 1);
      this.chunks.push(bytes);
    } else if (value >= -0x80000000 && value < 0x80000000) {
      const bytes = Buffer.alloc(5);
      bytes[0] = 0x4a; // BININT
      bytes.writeInt32LE(value, 1);
      this.chunks.push(bytes);
    } else {
      this.long(BigInt(value));
    }
  }

  /** LONG1: the shortest little-endian two's complement that holds the value. */
  private long(value: bigint): void {
    const bytes: number[] = [];
    let rest = value;
    for (;;) {
      const low = Number(rest & 0xffn);
      bytes.push(low);
      rest >>= 8n;
      const signClear = (low & 0x80) === 0;
      if ((rest === 0n && signClear) || (rest === -1n && !signClear)) break;
    }
    if (value === 0n) bytes.length = 0;
    if (bytes.length > 255)
      throw new PickleFormatError('an integer over 255 bytes', 0);
    this.chunks.push(Buffer.from([0x8a, bytes.length, ...bytes]));
  }

  private string(value: string): void {
    const text = Buffer.from(value, 'utf8');
    if (text.length < 0x100) {
      this.chunks.push(Buffer.from([0x8c, text.length]), text); // SHORT_BINUNICODE
    } else {
      const head = Buffer.alloc(5);
      head[0] = 0x58; // BINUNICODE
      head.writeUInt32LE(text.length, 1);
      this.chunks.push(head, text);
    }
  }

  private bytes(value: Uint8Array): void {
    const data = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    if (data.length < 0x100) {
      this.chunks.push(Buffer.from([0x43, data.length]), data); // SHORT_BINBYTES
    } else {
      const head = Buffer.alloc(5);
      head[0] = 0x42; // BINBYTES
      head.writeUInt32LE(data.length, 1);
      this.chunks.push(head, data);
    }
  }

  private op(code: number): void {
    this.chunks.push(Buffer.from([code]));
  }
}
