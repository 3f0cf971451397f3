import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const SINGLETONS = ['@nestjs/core', '@nestjs/common'];

/**
 * Every installed copy of @nestjs/core and @nestjs/common under the app's node_modules
 * (nested ones included), and where celeriac resolves them from. A second copy is what
 * made a Nest 10 app fail at boot with a misleading DI error; it must never happen.
 * Returns the problems, empty when each has one copy, the app's own.
 */
export function secondNestCopies(appDir: string): string[] {
  const problems: string[] = [];
  const celeriacDir = join(appDir, 'node_modules/celeriac');
  for (const name of SINGLETONS) {
    const copies = installedCopies(join(appDir, 'node_modules'), name);
    if (copies.length !== 1) {
      problems.push(
        `${copies.length} copies of ${name}: ${copies.map((dir) => relative(appDir, dir)).join(', ')}`,
      );
    }
    const fromApp = require.resolve(`${name}/package.json`, {
      paths: [appDir],
    });
    const fromCeleriac = require.resolve(`${name}/package.json`, {
      paths: [celeriacDir],
    });
    if (fromApp !== fromCeleriac) {
      problems.push(
        `celeriac loads ${name} from ${relative(appDir, fromCeleriac)}, the app from ${relative(appDir, fromApp)}`,
      );
    }
  }
  return problems;
}

/** Directories `<node_modules>/<name>` with a package.json, at any depth. */
function installedCopies(nodeModules: string, name: string): string[] {
  const found: string[] = [];
  const visit = (dir: string) => {
    const candidate = join(dir, name);
    if (existsSync(join(candidate, 'package.json'))) found.push(candidate);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      const packages = entry.name.startsWith('@')
        ? readdirSync(join(dir, entry.name)).map((sub) =>
            join(dir, entry.name, sub),
          )
        : [join(dir, entry.name)];
      for (const pkg of packages) {
        const nested = join(pkg, 'node_modules');
        if (existsSync(nested)) visit(nested);
      }
    }
  };
  visit(nodeModules);
  return found.map((dir) => {
    const { version } = JSON.parse(
      readFileSync(join(dir, 'package.json'), 'utf8'),
    ) as {
      version: string;
    };
    return `${dir}@${version}`;
  });
}
