import { pythonNumber } from './python-repr';

/** Options of `safeRepr`, named after Celery's `saferepr(o, maxlen, maxlevels)`. */
export interface SafeReprOptions {
  /**
   * Stop after about this many characters and write `, ...` plus the closing
   * brackets. Default: no limit. Celery uses 1024 for `argsrepr` / `kwargsrepr`.
   */
  maxLength?: number;
  /** Containers nested deeper than this are written `[...]` / `{...}`. Default 3, as Celery; 0 = no limit. */
  maxLevels?: number;
}

/** Celery's `argsrepr_maxsize` / `kwargsrepr_maxsize`. */
export const ARGSREPR_MAX_LENGTH = 1024;

/**
 * Celery's `saferepr` of JSON data, as it writes the display-only `argsrepr` /
 * `kwargsrepr` headers and the results of task events (Flower and `celery inspect`
 * show them): `[2, 3]`, `{'z': 1}`, `True`, `None`, strings always in single quotes
 * with only `'` escaped (saferepr leaves newlines and other characters as they are,
 * unlike `repr`: see `pythonRepr`). Lists are lists: empty args are `[]` (Python
 * shows `()` only because its args are a tuple).
 */
export function safeRepr(
  value: unknown,
  options: SafeReprOptions = {},
): string {
  const maxLevels = options.maxLevels ?? 3;
  let remaining = options.maxLength ?? Infinity;
  // Short values (nearly every argsrepr) need no cutting: written in one pass.
  const whole = shortRepr(value, 0, maxLevels || Infinity, remaining - 1);
  if (whole !== undefined && whole.length < remaining) return whole;
  const out: string[] = [];
  const closers: string[] = [];
  for (const token of tokens(value, 0, maxLevels || Infinity)) {
    if (remaining <= 0) {
      out.push(', ...', ...closers.reverse());
      return out.join('');
    }
    let text: string;
    switch (token.kind) {
      case 'open':
        closers.push(token.closer);
        text = token.text;
        break;
      case 'close':
        closers.pop();
        text = token.text;
        break;
      case 'separator':
        text = token.text;
        break;
      case 'string':
        text = `'${truncate(token.text, remaining).replace(/'/g, "\\'")}'`;
        break;
      case 'key':
        text = safeRepr(token.text, { maxLength: remaining, maxLevels });
        break;
      case 'atom':
        text = truncate(token.text, remaining);
        break;
    }
    out.push(text);
    remaining -= text.length;
  }
  return out.join('');
}

/**
 * The repr `tokens` would give, written directly, or undefined as soon as it grows
 * past `budget` characters (then the general path cuts it where saferepr would).
 */
function shortRepr(
  value: unknown,
  level: number,
  maxLevels: number,
  budget: number,
): string | undefined {
  if (value === null || value === undefined) return 'None';
  switch (typeof value) {
    case 'boolean':
      return value ? 'True' : 'False';
    case 'number':
      return pythonNumber(value);
    case 'string':
      return value.length + 2 > budget
        ? undefined
        : `'${value.replace(/'/g, "\\'")}'`;
    case 'object':
      break;
    default:
      return undefined; // rare: the general path
  }
  const isArray = Array.isArray(value);
  if (level >= maxLevels) return isArray ? '[...]' : '{...}';
  let out = isArray ? '[' : '{';
  if (isArray) {
    for (let i = 0; i < value.length; i++) {
      const item = shortRepr(
        value[i],
        level + 1,
        maxLevels,
        budget - out.length,
      );
      if (item === undefined) return undefined;
      out += i > 0 ? `, ${item}` : item;
      if (out.length > budget) return undefined;
    }
    return `${out}]`;
  }
  let first = true;
  for (const [key, item] of Object.entries(value)) {
    const keyText = shortRepr(key, level, maxLevels, budget - out.length);
    const itemText = shortRepr(item, level + 1, maxLevels, budget - out.length);
    if (keyText === undefined || itemText === undefined) return undefined;
    out += `${first ? '' : ', '}${keyText}: ${itemText}`;
    first = false;
    if (out.length > budget) return undefined;
  }
  return `${out}}`;
}

type Token =
  | { kind: 'open'; text: string; closer: string }
  | { kind: 'close' | 'separator' | 'string' | 'key' | 'atom'; text: string };

function* tokens(
  value: unknown,
  level: number,
  maxLevels: number,
): Generator<Token> {
  if (value === null || value === undefined) {
    yield { kind: 'atom', text: 'None' };
  } else if (typeof value === 'boolean') {
    yield { kind: 'atom', text: value ? 'True' : 'False' };
  } else if (typeof value === 'number') {
    yield { kind: 'atom', text: pythonNumber(value) };
  } else if (typeof value === 'bigint') {
    yield { kind: 'atom', text: value.toString() };
  } else if (typeof value === 'string') {
    yield { kind: 'string', text: value };
  } else if (Array.isArray(value)) {
    yield* container('[', ']', level, maxLevels, value, (item) =>
      tokens(item, level + 1, maxLevels),
    );
  } else if (typeof value === 'object') {
    yield* container(
      '{',
      '}',
      level,
      maxLevels,
      Object.entries(value),
      function* ([key, item]) {
        yield { kind: 'key', text: key };
        yield { kind: 'separator', text: ': ' };
        yield* tokens(item, level + 1, maxLevels);
      },
    );
  } else if (typeof value === 'function') {
    // Not data (the argument guard refuses it); shown rather than failing.
    yield { kind: 'atom', text: `<function ${value.name || '<anonymous>'}>` };
  } else {
    yield { kind: 'atom', text: (value as symbol).toString() };
  }
}

function* container<T>(
  open: string,
  close: string,
  level: number,
  maxLevels: number,
  items: T[],
  itemTokens: (item: T) => Iterable<Token>,
): Generator<Token> {
  if (level >= maxLevels) {
    yield { kind: 'atom', text: `${open}...${close}` };
    return;
  }
  yield { kind: 'open', text: open, closer: close };
  // Array.from visits holes of sparse arrays (as undefined: None), map would skip them.
  for (const [index, item] of Array.from(items).entries()) {
    if (index > 0) yield { kind: 'separator', text: ', ' };
    yield* itemTokens(item);
  }
  yield { kind: 'close', text: close };
}

/** Celery's `truncate`: cut at the last space before `maxLength`, then `...`. */
function truncate(text: string, maxLength: number): string {
  if (text.length < maxLength) return text;
  const head = text.slice(0, maxLength);
  const lastSpace = head.lastIndexOf(' ');
  return `${lastSpace === -1 ? head : head.slice(0, lastSpace)}...`;
}
