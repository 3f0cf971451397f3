/**
 * JSON as Celery's peers write it.
 *
 * - kombu >= 5.3 tags some Python types as `{"__type__": ..., "__value__": ...}`; they
 *   arrive here as plain strings: datetime, date and time keep their ISO text, decimal
 *   its digits, uuid its canonical `8-4-4-4-12` form (kombu writes `{hex, version}`),
 *   bytes their UTF-8 text, and bytes that are not UTF-8 (`base64`) their base64 text.
 * - Python's `json.dumps` writes `NaN`, `Infinity` and `-Infinity` for such floats
 *   (`allow_nan=True` is its default); they are read as the JS numbers of those names
 *   instead of failing the whole message.
 */
export function parseJson(text: string): unknown {
  try {
    // A reviver makes JSON.parse several times slower: only pass one when a tag may be
    // there (a key spelled with \u escapes could hide one, so those take it too).
    return mayHoldTags(text)
      ? JSON.parse(text, untagKombuTypes)
      : JSON.parse(text);
  } catch (error) {
    const withoutNonFinite = replaceNonFiniteLiterals(text);
    if (withoutNonFinite === null) throw error;
    return JSON.parse(withoutNonFinite, (key, value) =>
      untagKombuTypes(key, restoreNonFinite(value)),
    );
  }
}

function mayHoldTags(text: string): boolean {
  return text.includes('__type__') || text.includes('\\u');
}

const KOMBU_TAGGED = new Set([
  'datetime',
  'date',
  'time',
  'decimal',
  'uuid',
  'bytes',
  'base64',
]);

function untagKombuTypes(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const tagged = value as { __type__?: unknown; __value__?: unknown };
    if (
      typeof tagged.__type__ === 'string' &&
      KOMBU_TAGGED.has(tagged.__type__) &&
      '__value__' in tagged &&
      Object.keys(tagged).length === 2
    ) {
      return tagged.__type__ === 'uuid'
        ? uuidText(tagged.__value__)
        : tagged.__value__;
    }
  }
  return value;
}

/** kombu writes a UUID as `{"hex": "<32 hex digits>", "version": n}`; older code as text. */
function uuidText(value: unknown): unknown {
  const hex = (value as { hex?: unknown } | null)?.hex;
  if (typeof hex !== 'string' || !/^[0-9a-f]{32}$/i.test(hex)) return value;
  const h = hex.toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Unlikely to occur in real data; only used in the fallback path. */
const NON_FINITE_MARK = '\u0000celeriac-non-finite:';
const NON_FINITE: Record<string, number> = {
  NaN: NaN,
  Infinity: Infinity,
  '-Infinity': -Infinity,
};

/**
 * Rewrites bare `NaN` / `Infinity` / `-Infinity` tokens (outside strings) as marked
 * strings, or returns null when there are none (the text is then simply not JSON).
 */
function replaceNonFiniteLiterals(text: string): string | null {
  const parts: string[] = [];
  let copiedUpTo = 0;
  let i = 0;
  while (i < text.length) {
    const char = text[i];
    if (char === '"') {
      i += 1;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i += 1;
      continue;
    }
    if (char === 'N' || char === 'I' || char === '-') {
      const token = /^(?:-?Infinity|NaN)/.exec(text.slice(i, i + 9))?.[0];
      if (token) {
        parts.push(
          text.slice(copiedUpTo, i),
          JSON.stringify(NON_FINITE_MARK + token),
        );
        i += token.length;
        copiedUpTo = i;
        continue;
      }
    }
    i += 1;
  }
  if (parts.length === 0) return null;
  parts.push(text.slice(copiedUpTo));
  return parts.join('');
}

function restoreNonFinite(value: unknown): unknown {
  if (typeof value === 'string' && value.startsWith(NON_FINITE_MARK)) {
    const number = NON_FINITE[value.slice(NON_FINITE_MARK.length)];
    if (number !== undefined) return number;
  }
  return value;
}
