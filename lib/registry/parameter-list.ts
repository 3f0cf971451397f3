/** One parameter of a method, as its source declares it. */
export interface SourceParameter {
  /** Its name; null for a destructuring pattern (`{ width, height }`, `[a, b]`). */
  name: string | null;
  /** It has a default value (`b = 1`): a call may leave it out. */
  optional: boolean;
  /** A rest parameter (`...items`): it takes every positional argument left. */
  rest: boolean;
}

/** Any function: only its source is read. */
export type AnyFunction = (...args: never[]) => unknown;

/**
 * The parameters of a function or method, read from its source
 * (`Function.prototype.toString`), because JavaScript keeps no parameter names at run
 * time. Returns null when the source has no readable list (a bound or native
 * function). Names are what the compiled code says: a minifier that renames
 * parameters renames them here too (`@Arg` names them then).
 */
export function parameterList(fn: AnyFunction): SourceParameter[] | null {
  const source = Function.prototype.toString.call(fn);
  if (/\{\s*\[native code\]\s*\}\s*$/.test(source)) return null;
  const arrow = /^\s*(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(source);
  if (arrow) return [{ name: arrow[1], optional: false, rest: false }];
  const parts = topLevelParameters(source);
  return parts === null ? null : parts.map(parameterOf);
}

/** The text of each parameter between the first top-level `(` and its `)`. */
function topLevelParameters(source: string): string[] | null {
  const parts: string[] = [];
  let depth = 0;
  let start = -1;
  let i = 0;
  while (i < source.length) {
    const char = source[i];
    const skipped = skipLiteral(source, i);
    if (skipped > i) {
      i = skipped;
      continue;
    }
    if (char === '(' || char === '[' || char === '{') {
      if (char === '(' && depth === 0 && start < 0) start = i + 1;
      depth++;
    } else if (char === ')' || char === ']' || char === '}') {
      depth--;
      if (depth === 0 && start >= 0 && char === ')') {
        parts.push(source.slice(start, i));
        return parts.map((part) => part.trim()).filter((part) => part !== '');
      }
    } else if (char === ',' && depth === 1 && start >= 0) {
      parts.push(source.slice(start, i));
      start = i + 1;
    }
    i++;
  }
  return null;
}

/**
 * Where a string, template literal or comment that starts at `i` ends (`i` when none
 * starts there). The text inside is blanked out of the parameter by `parameterOf`.
 */
function skipLiteral(source: string, i: number): number {
  const char = source[i];
  const next = source[i + 1];
  if (char === '/' && next === '/') {
    const end = source.indexOf('\n', i);
    return end < 0 ? source.length : end;
  }
  if (char === '/' && next === '*') {
    const end = source.indexOf('*/', i + 2);
    return end < 0 ? source.length : end + 2;
  }
  if (char === '"' || char === "'") return endOfQuoted(source, i, char);
  if (char === '`') return endOfTemplate(source, i);
  return i;
}

function endOfQuoted(source: string, i: number, quote: string): number {
  let j = i + 1;
  while (j < source.length && source[j] !== quote) {
    j += source[j] === '\\' ? 2 : 1;
  }
  return j + 1;
}

function endOfTemplate(source: string, i: number): number {
  let j = i + 1;
  while (j < source.length && source[j] !== '`') {
    if (source[j] === '\\') j += 2;
    else if (source[j] === '$' && source[j + 1] === '{') {
      // A placeholder: up to its matching brace, literals inside skipped.
      let depth = 1;
      j += 2;
      while (j < source.length && depth > 0) {
        const skipped = skipLiteral(source, j);
        if (skipped > j) {
          j = skipped;
          continue;
        }
        if (source[j] === '{') depth++;
        else if (source[j] === '}') depth--;
        j++;
      }
    } else j++;
  }
  return j + 1;
}

function parameterOf(text: string): SourceParameter {
  const code = withoutComments(text).trim();
  if (code.startsWith('...')) {
    const name = /^\.\.\.\s*([A-Za-z_$][\w$]*)/.exec(code);
    return { name: name ? name[1] : null, optional: false, rest: true };
  }
  if (code.startsWith('{') || code.startsWith('[')) {
    return { name: null, optional: hasTopLevelDefault(code), rest: false };
  }
  const match = /^([A-Za-z_$][\w$]*)\s*(=)?/.exec(code);
  return {
    name: match ? match[1] : null,
    optional: match?.[2] === '=',
    rest: false,
  };
}

/** `{ a, b } = {}`: an `=` after the pattern's closing bracket. */
function hasTopLevelDefault(code: string): boolean {
  let depth = 0;
  for (let i = 0; i < code.length; i++) {
    const skipped = skipLiteral(code, i);
    if (skipped > i) {
      i = skipped - 1;
      continue;
    }
    const char = code[i];
    if (char === '{' || char === '[' || char === '(') depth++;
    else if (char === '}' || char === ']' || char === ')') depth--;
    else if (char === '=' && depth === 0) return true;
  }
  return false;
}

function withoutComments(text: string): string {
  let out = '';
  for (let i = 0; i < text.length;) {
    const skipped = skipLiteral(text, i);
    if (skipped > i) {
      const literal = text.slice(i, skipped);
      out += literal.startsWith('/') ? ' ' : literal;
      i = skipped;
    } else out += text[i++];
  }
  return out;
}
