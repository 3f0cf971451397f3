import { PickleFormatError } from './errors';
import { PythonGlobal, PythonObject } from './python-object';

/** Python 2 names that protocol 0-2 pickles write for builtins (`fix_imports`). */
const PYTHON2_MODULES: Record<string, string> = {
  __builtin__: 'builtins',
  exceptions: 'builtins',
  copy_reg: 'copyreg',
};

/**
 * Reads a pickle (protocol 2 to 5) of plain data, as Celery's database backend stores a
 * result (SQLAlchemy's PickleType): None, bool, int, float, str, bytes, list, tuple,
 * dict, set; and objects Python rebuilds by calling a class (exceptions, when the
 * result serializer is pickle), returned as `PythonObject`. Tuples and sets become
 * arrays, bytes a Buffer. Nothing is executed: a class is only named.
 * Throws PickleFormatError on anything else, or on an integer beyond 2^53.
 */
export function readPickle(bytes: Uint8Array): unknown {
  return new PickleReader(
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
  ).read();
}

class PickleReader {
  private offset = 0;
  private stack: unknown[] = [];
  private readonly marks: unknown[][] = [];
  private readonly memo = new Map<number, unknown>();

  constructor(private readonly data: Buffer) {}

  read(): unknown {
    for (;;) {
      const at = this.offset;
      const opcode = this.byte();
      switch (opcode) {
        case 0x80: // PROTO
          this.byte();
          break;
        case 0x95: // FRAME: framing only groups reads
          this.take(8);
          break;
        case 0x2e: // STOP
          if (this.stack.length !== 1)
            throw this.error('STOP with a stack that is not one value', at);
          return this.stack[0];
        case 0x4e: // NONE
          this.stack.push(null);
          break;
        case 0x88: // NEWTRUE
          this.stack.push(true);
          break;
        case 0x89: // NEWFALSE
          this.stack.push(false);
          break;
        case 0x4b: // BININT1
          this.stack.push(this.byte());
          break;
        case 0x4d: // BININT2
          this.stack.push(this.take(2).readUInt16LE(0));
          break;
        case 0x4a: // BININT
          this.stack.push(this.take(4).readInt32LE(0));
          break;
        case 0x8a: // LONG1
          this.stack.push(this.long(this.byte(), at));
          break;
        case 0x8b: // LONG4
          this.stack.push(this.long(this.take(4).readInt32LE(0), at));
          break;
        case 0x47: // BINFLOAT
          this.stack.push(this.take(8).readDoubleBE(0));
          break;
        case 0x8c: // SHORT_BINUNICODE
          this.stack.push(this.take(this.byte()).toString('utf8'));
          break;
        case 0x58: // BINUNICODE
          this.stack.push(
            this.take(this.take(4).readUInt32LE(0)).toString('utf8'),
          );
          break;
        case 0x8d: // BINUNICODE8
          this.stack.push(this.take(this.size8()).toString('utf8'));
          break;
        case 0x43: // SHORT_BINBYTES
          this.stack.push(Buffer.from(this.take(this.byte())));
          break;
        case 0x42: // BINBYTES
          this.stack.push(Buffer.from(this.take(this.take(4).readUInt32LE(0))));
          break;
        case 0x8e: // BINBYTES8
          this.stack.push(Buffer.from(this.take(this.size8())));
          break;
        case 0x7d: // EMPTY_DICT
          this.stack.push({});
          break;
        case 0x5d: // EMPTY_LIST
        case 0x29: // EMPTY_TUPLE
        case 0x8f: // EMPTY_SET
          this.stack.push([]);
          break;
        case 0x28: // MARK
          this.marks.push(this.stack);
          this.stack = [];
          break;
        case 0x74: // TUPLE
        case 0x91: // FROZENSET
          this.stack = this.popMark(at).concat([this.stack]);
          break;
        case 0x85: // TUPLE1
          this.stack.push([this.pop(at)]);
          break;
        case 0x86: {
          // TUPLE2
          const second = this.pop(at);
          this.stack.push([this.pop(at), second]);
          break;
        }
        case 0x87: {
          // TUPLE3
          const third = this.pop(at);
          const second = this.pop(at);
          this.stack.push([this.pop(at), second, third]);
          break;
        }
        case 0x61: {
          // APPEND
          const item = this.pop(at);
          this.list(this.top(at), at).push(item);
          break;
        }
        case 0x65: // APPENDS
        case 0x90: {
          // ADDITEMS
          const items = this.stack;
          this.stack = this.popMark(at);
          this.list(this.top(at), at).push(...items);
          break;
        }
        case 0x73: {
          // SETITEM
          const value = this.pop(at);
          const key = this.pop(at);
          this.setItem(this.top(at), key, value, at);
          break;
        }
        case 0x75: {
          // SETITEMS
          const items = this.stack;
          this.stack = this.popMark(at);
          const target = this.top(at);
          for (let i = 0; i + 1 < items.length; i += 2)
            this.setItem(target, items[i], items[i + 1], at);
          break;
        }
        case 0x94: // MEMOIZE
          this.memo.set(this.memo.size, this.top(at));
          break;
        case 0x71: // BINPUT
          this.memo.set(this.byte(), this.top(at));
          break;
        case 0x72: // LONG_BINPUT
          this.memo.set(this.take(4).readUInt32LE(0), this.top(at));
          break;
        case 0x68: // BINGET
          this.stack.push(this.recall(this.byte(), at));
          break;
        case 0x6a: // LONG_BINGET
          this.stack.push(this.recall(this.take(4).readUInt32LE(0), at));
          break;
        case 0x63: {
          // GLOBAL
          const module = this.line();
          this.stack.push(globalOf(module, this.line()));
          break;
        }
        case 0x93: {
          // STACK_GLOBAL
          const name = this.pop(at);
          const module = this.pop(at);
          if (typeof module !== 'string' || typeof name !== 'string')
            throw this.error('STACK_GLOBAL needs two strings', at);
          this.stack.push(globalOf(module, name));
          break;
        }
        case 0x52: // REDUCE
        case 0x81: {
          // NEWOBJ
          const args = this.pop(at);
          const callable = this.pop(at);
          this.stack.push(this.call(callable, args, at));
          break;
        }
        case 0x92: {
          // NEWOBJ_EX
          this.pop(at); // keyword arguments
          const args = this.pop(at);
          this.stack.push(this.call(this.pop(at), args, at));
          break;
        }
        case 0x62: {
          // BUILD
          const state = this.pop(at);
          const target = this.top(at);
          if (!(target instanceof PythonObject))
            throw this.error('BUILD on something that is not an object', at);
          target.state = state;
          break;
        }
        default:
          throw this.error(
            `opcode 0x${opcode.toString(16).padStart(2, '0')} is outside the plain-data subset read here`,
            at,
          );
      }
    }
  }

  private call(callable: unknown, args: unknown, at: number): unknown {
    if (!(callable instanceof PythonGlobal) || !Array.isArray(args))
      throw this.error('REDUCE needs a class and an argument tuple', at);
    const { module, name } = callable;
    if (module === 'builtins' && (name === 'set' || name === 'frozenset'))
      return Array.isArray(args[0]) ? [...(args[0] as unknown[])] : [];
    // Protocol 2 writes bytes as a call: `_codecs.encode(text, 'latin1')`, `bytes()`.
    if (
      module === '_codecs' &&
      name === 'encode' &&
      typeof args[0] === 'string'
    )
      return Buffer.from(args[0], 'latin1');
    if (module === 'builtins' && name === 'bytes' && args.length === 0)
      return Buffer.alloc(0);
    if (module === 'collections' && name === 'OrderedDict') {
      const dict: Record<string, unknown> = {};
      for (const pair of (args[0] as unknown[] | undefined) ?? []) {
        const [key, value] = pair as [unknown, unknown];
        this.setItem(dict, key, value, at);
      }
      return dict;
    }
    return new PythonObject(module, name, args);
  }

  private setItem(
    target: unknown,
    key: unknown,
    value: unknown,
    at: number,
  ): void {
    if (target === null || typeof target !== 'object' || Array.isArray(target))
      throw this.error('SETITEM on something that is not a dict', at);
    if (target instanceof PythonObject) {
      target.state = value;
      return;
    }
    if (
      typeof key !== 'string' &&
      typeof key !== 'number' &&
      typeof key !== 'boolean' &&
      key !== null
    )
      throw this.error('a dict key that is not a str, int, bool or None', at);
    (target as Record<string, unknown>)[keyText(key)] = value;
  }

  private list(target: unknown, at: number): unknown[] {
    if (!Array.isArray(target))
      throw this.error('APPEND on something that is not a list', at);
    return target;
  }

  private long(length: number, at: number): number {
    if (length === 0) return 0;
    const bytes = this.take(length);
    let value = 0n;
    for (let i = length - 1; i >= 0; i--)
      value = (value << 8n) | BigInt(bytes[i]);
    if (bytes[length - 1] & 0x80) value -= 1n << BigInt(8 * length);
    if (
      value > BigInt(Number.MAX_SAFE_INTEGER) ||
      value < BigInt(Number.MIN_SAFE_INTEGER)
    )
      throw this.error(
        `the integer ${value} is beyond what JavaScript holds exactly (2^53)`,
        at,
      );
    return Number(value);
  }

  private recall(index: number, at: number): unknown {
    if (!this.memo.has(index))
      throw this.error(`memo ${index} was never stored`, at);
    return this.memo.get(index);
  }

  private popMark(at: number): unknown[] {
    const below = this.marks.pop();
    if (!below) throw this.error('no MARK to close', at);
    return below;
  }

  private pop(at: number): unknown {
    if (this.stack.length === 0) throw this.error('the stack is empty', at);
    return this.stack.pop();
  }

  private top(at: number): unknown {
    if (this.stack.length === 0) throw this.error('the stack is empty', at);
    return this.stack[this.stack.length - 1];
  }

  private line(): string {
    const end = this.data.indexOf(0x0a, this.offset);
    if (end < 0)
      throw this.error('a GLOBAL name without its newline', this.offset);
    const text = this.data.toString('utf8', this.offset, end);
    this.offset = end + 1;
    return text;
  }

  private size8(): number {
    const size = this.take(8).readBigUInt64LE(0);
    if (size > BigInt(this.data.length))
      throw this.error('a length past the end', this.offset);
    return Number(size);
  }

  private byte(): number {
    return this.take(1)[0];
  }

  private take(length: number): Buffer {
    if (this.offset + length > this.data.length)
      throw this.error('the pickle ends too early', this.offset);
    const slice = this.data.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }

  private error(message: string, at: number): PickleFormatError {
    return new PickleFormatError(message, at);
  }
}

function globalOf(module: string, name: string): PythonGlobal {
  return new PythonGlobal(PYTHON2_MODULES[module] ?? module, name);
}

/** A dict key as JSON writes it: Python's `{1: 'a'}` becomes `{"1": "a"}`. */
function keyText(key: string | number | boolean | null): string {
  if (key === null) return 'null';
  if (typeof key === 'boolean') return key ? 'true' : 'false';
  return String(key);
}
