/**
 * How written JSON sits in its message: as it is (an AMQP body), or inside a JSON
 * string (the body of kombu's Redis envelope, which kombu reads as it is when the
 * envelope has no `body_encoding`): every character is then escaped once more.
 */
export type JsonPlacement = 'bare' | 'in-string';

const PLACEMENTS: readonly JsonPlacement[] = ['bare', 'in-string'];

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const ZERO = 48;
const DOT = 46;

/**
 * JSON text known in advance, kept as bytes for each placement. It may open or close
 * a string: `","name":"` ends one string value, writes a key and opens the next value,
 * so that the writer copies one piece between two values.
 */
export class JsonFragment {
  /** The bytes, by placement (`PLACEMENTS` order). */
  readonly forms: readonly Uint8Array[];

  constructor(readonly text: string) {
    this.forms = PLACEMENTS.map((placement) =>
      Buffer.from(place(text, placement), 'utf8'),
    );
  }
}

/** `,"<name>":`, a field's key after the first field. */
export function jsonKey(name: string): JsonFragment {
  return new JsonFragment(`,${JSON.stringify(name)}:`);
}

/**
 * Writes a JSON list of events straight into bytes as each event comes, so that a
 * busy worker's task events leave no object behind them (a `task.multi` list waits up
 * to 10 ms, across the garbage collector's scavenges), and are written once: no
 * JSON.stringify, base64 or copy between them and the socket. The bytes are the text
 * `JSON.stringify(events)` gives, escaped once more `in-string` (but for `seconds`,
 * which writes a duration to the microsecond and always with a fraction: `1.0`).
 *
 * An event is written piece by piece (`openEvent`; fragments, text and values; `close`),
 * or whole from an object of JSON values (`add`). `headRoom` bytes are left free
 * before the list and `finish(tailRoom)` leaves room after it, for the transport's
 * framing. It writes into `bytes` (a larger buffer when they are full).
 */
export class EventJsonWriter {
  private bytes: Buffer;
  private at: number;
  private events = 0;
  /** The index of this placement in each fragment's `forms`. */
  private readonly form: number;

  constructor(
    readonly placement: JsonPlacement,
    readonly headRoom = 0,
    bytes: Buffer = Buffer.allocUnsafeSlow(64 * 1024),
  ) {
    this.form = PLACEMENTS.indexOf(placement);
    this.bytes = bytes;
    this.at = headRoom;
    this.room(1);
    this.bytes[this.at++] = OPEN_BRACKET;
  }

  /** How many events were opened. */
  get count(): number {
    return this.events;
  }

  /** Bytes written so far, from the list's `[`. */
  get length(): number {
    return this.at - this.headRoom;
  }

  /** Starts the next event: its `{`. */
  private open(): this {
    this.room(2);
    if (this.events > 0) this.bytes[this.at++] = COMMA;
    this.events++;
    this.bytes[this.at++] = OPEN_BRACE;
    return this;
  }

  /**
   * Starts the next event with what every event of a sender carries: `head` (the
   * fields that change at most once a millisecond, ending with `"clock":`), the clock,
   * then `type` (the `,"type":...` field, and what follows it). Four pieces in one
   * call: this runs three times a task.
   */
  openEvent(head: JsonFragment, clock: number, type: JsonFragment): this {
    return this.open().fragment(head).number(clock).fragment(type);
  }

  /** Ends the event: its `}`. */
  close(): this {
    this.room(1);
    this.bytes[this.at++] = CLOSE_BRACE;
    return this;
  }

  /** JSON text known in advance. */
  fragment(fragment: JsonFragment): this {
    const piece = fragment.forms[this.form];
    this.room(piece.length);
    this.bytes.set(piece, this.at);
    this.at += piece.length;
    return this;
  }

  /**
   * The inside of a string value, between quotes the fragments around it write.
   * Printable ASCII without quotes or backslashes (ids, names, most reprs) is copied
   * as it is; anything else is escaped as JSON.stringify escapes it.
   */
  text(text: string): this {
    this.room(text.length);
    const bytes = this.bytes;
    let at = this.at;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code < 0x20 || code > 0x7e || code === QUOTE || code === BACKSLASH)
        return this.escaped(text);
      bytes[at++] = code;
    }
    this.at = at;
    return this;
  }

  /** A string value, quotes and all. */
  string(text: string): this {
    return this.quote().text(text).quote();
  }

  /** A string, or `null`. */
  stringOrNull(text: string | null | undefined): this {
    return typeof text === 'string' ? this.string(text) : this.ascii('null');
  }

  /** A number (`null` if it is not finite, as JSON.stringify writes it). */
  number(value: number): this {
    if (value >= 0 && value <= 0x7fffffff && value % 1 === 0)
      return this.digits(value);
    return this.ascii(Number.isFinite(value) ? String(value) : 'null');
  }

  /**
   * A duration in milliseconds as seconds, to the microsecond, written digit by digit
   * (`0.000123`): Celery's `runtime`, without the string a float's shortest form needs.
   */
  seconds(ms: number): this {
    const micros = Math.round(ms * 1000);
    const whole = Math.floor(micros / 1_000_000);
    if (!(micros >= 0 && whole <= 0x7fffffff)) return this.number(ms / 1000);
    this.digits(whole);
    let fraction = micros - whole * 1_000_000;
    this.room(8);
    const bytes = this.bytes;
    bytes[this.at++] = DOT;
    let place = 100_000;
    do {
      const digit = Math.floor(fraction / place);
      bytes[this.at++] = ZERO + digit;
      fraction -= digit * place;
      place /= 10;
    } while (fraction > 0);
    return this;
  }

  /** Any JSON value (what `JSON.stringify` writes for it). */
  private value(value: unknown): this {
    switch (typeof value) {
      case 'string':
        return this.string(value);
      case 'number':
        return this.number(value);
      case 'boolean':
        return this.ascii(value ? 'true' : 'false');
      default:
        return value === null
          ? this.ascii('null')
          : this.json(JSON.stringify(value) ?? 'null');
    }
  }

  /**
   * One whole event from an object of JSON values (undefined ones left out). A value
   * JSON cannot write (a BigInt, a cycle) throws, and leaves the list as it was.
   */
  add(event: Record<string, unknown>): this {
    const { at, events } = this;
    try {
      this.open();
      let first = true;
      for (const [key, value] of Object.entries(event)) {
        if (value === undefined || typeof value === 'function') continue;
        this.json(`${first ? '' : ','}${JSON.stringify(key)}:`);
        first = false;
        this.value(value);
      }
      return this.close();
    } catch (error) {
      this.at = at;
      this.events = events;
      throw error;
    }
  }

  /**
   * Closes the list: returns the buffer, with `headRoom` free bytes, the list up to
   * `end`, then at least `tailRoom` free bytes. Nothing may be written after.
   */
  finish(tailRoom = 0): { buffer: Buffer; end: number } {
    this.room(1 + tailRoom);
    this.bytes[this.at++] = CLOSE_BRACKET;
    return { buffer: this.bytes, end: this.at };
  }

  private quote(): this {
    this.room(2);
    if (this.form === 1) this.bytes[this.at++] = BACKSLASH;
    this.bytes[this.at++] = QUOTE;
    return this;
  }

  /** A whole number from 0 to 2^31 - 1, digit by digit (no string made). */
  private digits(value: number): this {
    this.room(10);
    let length = 1;
    for (let rest = value; rest >= 10; rest = (rest / 10) | 0) length++;
    const bytes = this.bytes;
    let at = this.at + length;
    this.at = at;
    do {
      bytes[--at] = ZERO + (value % 10);
      value = (value / 10) | 0;
    } while (value > 0);
    return this;
  }

  private ascii(text: string): this {
    this.room(text.length);
    const bytes = this.bytes;
    let at = this.at;
    for (let i = 0; i < text.length; i++) bytes[at++] = text.charCodeAt(i);
    this.at = at;
    return this;
  }

  /** The inside of a string that needs escaping. */
  private escaped(text: string): this {
    return this.json(JSON.stringify(text).slice(1, -1));
  }

  /** JSON text of any kind, escaped once more when in a string. */
  private json(text: string): this {
    const placed = place(text, this.placement);
    this.room(Buffer.byteLength(placed, 'utf8'));
    this.at += this.bytes.write(placed, this.at, 'utf8');
    return this;
  }

  private room(needed: number): void {
    if (this.at + needed <= this.bytes.length) return;
    const grown = Buffer.allocUnsafeSlow(
      Math.max(this.bytes.length * 2, this.at + needed),
    );
    this.bytes.copy(grown, 0, 0, this.at);
    this.bytes = grown;
  }
}

/** JSON text as it is written in this placement. */
function place(text: string, placement: JsonPlacement): string {
  return placement === 'bare' ? text : JSON.stringify(text).slice(1, -1);
}
