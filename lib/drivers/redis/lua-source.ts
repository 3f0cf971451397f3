import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every Lua script of the Redis backends lives in ./lua as `<what-it-does>-<keys>.lua`
 * (BullMQ's habit): `<keys>` is how many KEYS it takes, or `n` when the caller decides
 * (one set of keys per queue, one key per result). Shared Lua lives in ./lua/includes
 * and is pulled in by a line `-- @include <name>`, once per script. The build copies
 * the folder beside the compiled JavaScript (`npm run build:lua`).
 */
export const LUA_DIR = join(__dirname, 'lua');

/** The number of keys a script's file name declares; undefined for `-n`. */
export function declaredKeyCount(name: string): number | undefined {
  const match = /-(\d+|n)$/.exec(name);
  if (!match) {
    throw new Error(
      `Lua script "${name}": the name must end with -<number of keys> or -n`,
    );
  }
  return match[1] === 'n' ? undefined : Number(match[1]);
}

/** The source of ./lua/<name>.lua with its includes expanded. */
export function readLua(name: string): string {
  return expandIncludes(readFileSync(join(LUA_DIR, `${name}.lua`), 'utf8'));
}

/** Replaces each `-- @include <name>` line with ./lua/includes/<name>.lua, once each. */
export function expandIncludes(
  source: string,
  included = new Set<string>(),
): string {
  return source.replace(
    /^-- @include ([\w-]+)[ \t]*$/gm,
    (_line, include: string) => {
      if (included.has(include)) return '';
      included.add(include);
      const text = readFileSync(
        join(LUA_DIR, 'includes', `${include}.lua`),
        'utf8',
      );
      return expandIncludes(text, included).trimEnd();
    },
  );
}
