import { ControlMessage } from '../../transports/control-bus';

/**
 * Whether a command is for `node`, as kombu's `Node.handle_message` decides: a
 * non-empty `destination` lists the nodes it is for; otherwise `pattern` with a
 * `matcher` (`glob`, the default, or `pcre`: a regex matched at the start); otherwise
 * every node.
 */
export function addressedTo(message: ControlMessage, node: string): boolean {
  const { destination, pattern, matcher } = message;
  if (Array.isArray(destination) && destination.length > 0)
    return destination.includes(node);
  if (typeof pattern === 'string' && pattern && matcher) {
    if (matcher === 'pcre')
      return safeRegex(`^(?:${pattern})`)?.test(node) ?? false;
    if (matcher === 'glob') return globRegex(pattern).test(node);
    return false;
  }
  return true;
}

/** Python's fnmatch: `*`, `?`, `[seq]`, `[!seq]`, anchored at both ends. */
function globRegex(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else if (char === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) {
        source += '\\[';
        continue;
      }
      let set = pattern.slice(i + 1, end).replace(/\\/g, '\\\\');
      if (set.startsWith('!')) set = `^${set.slice(1)}`;
      source += `[${set}]`;
      i = end;
    } else source += char.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

function safeRegex(source: string): RegExp | null {
  try {
    return new RegExp(source);
  } catch {
    return null;
  }
}
