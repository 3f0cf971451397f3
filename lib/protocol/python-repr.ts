/**
 * Python's `repr()` of the value Python reads from this JSON data, as Celery writes
 * it for exceptions (`ValueError('bad\\ninput')`, a ChordError's text, `task-failed`):
 * strings quoted and escaped as CPython's `unicode_repr` does, numbers as Python
 * prints the int or float `json.loads` makes of them, `None`, `True`, lists, dicts.
 * A container met again inside itself is `[...]` / `{...}`, as Python writes it.
 * `safeRepr` is Celery's truncating variant for argsrepr and results.
 */
export function pythonRepr(value: unknown): string {
  return repr(value, new Set());
}

function repr(value: unknown, open: Set<object>): string {
  if (value === null || value === undefined) return 'None';
  switch (typeof value) {
    case 'boolean':
      return value ? 'True' : 'False';
    case 'number':
      return pythonNumber(value);
    case 'bigint':
      return value.toString();
    case 'string':
      return pythonString(value);
    case 'function':
      // Not data (the argument guard refuses it); shown rather than failing.
      return `<function ${value.name || '<anonymous>'}>`;
    case 'symbol':
      return value.toString();
  }
  const object = value;
  const isArray = Array.isArray(object);
  if (open.has(object)) return isArray ? '[...]' : '{...}';
  open.add(object);
  const text = isArray
    ? `[${Array.from(object, (item) => repr(item, open)).join(', ')}]`
    : `{${Object.entries(object)
        .map(([key, item]) => `${pythonString(key)}: ${repr(item, open)}`)
        .join(', ')}}`;
  open.delete(object);
  return text;
}

/**
 * A number as Python prints what `json.loads` makes of it: integers below 1e21 are
 * JSON digits (a Python int), the rest floats, whose repr switches to an exponent
 * below 1e-4 and pads it to two digits (`1e-05`, where JavaScript writes `0.00001`).
 */
export function pythonNumber(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (Number.isInteger(value)) return String(value);
  const [mantissa, exponentText] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  // Non-integers are below 2^53, so only small exponents differ from JavaScript's.
  if (exponent >= -4) return String(value);
  return `${mantissa}e-${String(-exponent).padStart(2, '0')}`;
}

/** Python's characters that `str.isprintable()` refuses (but the space). */
const NOT_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;

/** CPython's `unicode_repr`: the quote that needs no escape, then escapes. */
function pythonString(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  // for...of walks code points: a non-BMP character is one, a lone surrogate too.
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === quote || char === '\\') out += `\\${char}`;
    else if (char === '\t') out += '\\t';
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += `\\x${hex(code, 2)}`;
    else if (code < 0x7f || !NOT_PRINTABLE.test(char)) out += char;
    else if (code <= 0xff) out += `\\x${hex(code, 2)}`;
    else if (code <= 0xffff) out += `\\u${hex(code, 4)}`;
    else out += `\\U${hex(code, 8)}`;
  }
  return out + quote;
}

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}
