import { cpSync, mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

/** What `npm pack` needs to build and pack the library (its `prepare` runs build:lib). */
const SOURCES = [
  'package.json',
  'README.md',
  'LICENSE',
  'tsconfig.json',
  'tsconfig.lib.json',
  'lib',
];

/**
 * Copies the library's sources into `into` (node_modules linked, not copied) and
 * returns it: packing there builds into its own dist/, so the smoke test and a
 * `nest build` of the repository, which both write dist/, never clash.
 */
export function copyPackageSource(root: string, into: string): string {
  mkdirSync(into, { recursive: true });
  for (const source of SOURCES)
    cpSync(join(root, source), join(into, source), { recursive: true });
  symlinkSync(
    realpathSync(join(root, 'node_modules')),
    join(into, 'node_modules'),
    'dir',
  );
  return into;
}
