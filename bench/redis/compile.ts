import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import * as ts from 'typescript';

const ROOT = join(__dirname, '..', '..');
/** What a bench worker process loads: the library, this folder and the shared stats. */
const SOURCES = ['lib', 'bench/redis', 'bench/stats.ts'];

let built: string | undefined;

/**
 * Transpiles the library and the bench to JavaScript in a temporary folder, once per
 * run, so that worker processes run plain `node` (a require hook would keep the
 * TypeScript compiler in memory, about 100 MB of the RSS being measured). Returns the
 * folder; `NODE_PATH` lets the output find the project's node_modules.
 */
export function compiledRoot(): string {
  if (built) return built;
  const out = mkdtempSync(join(tmpdir(), 'celeriac-bench-'));
  for (const source of SOURCES) {
    for (const file of tsFiles(join(ROOT, source))) {
      const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
        compilerOptions: {
          module: ts.ModuleKind.CommonJS,
          target: ts.ScriptTarget.ES2022,
          experimentalDecorators: true,
          emitDecoratorMetadata: true,
          esModuleInterop: true,
        },
        fileName: file,
      });
      const target = join(out, relative(ROOT, file)).replace(/\.ts$/, '.js');
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, outputText);
    }
  }
  // The Redis scripts are read from files beside the code (lib/drivers/redis/lua-source.ts).
  const lua = join('lib', 'drivers', 'redis', 'lua');
  cpSync(join(ROOT, lua), join(out, lua), { recursive: true });
  process.once('exit', () => rmSync(out, { recursive: true, force: true }));
  built = out;
  return out;
}

export const NODE_MODULES = join(ROOT, 'node_modules');

function tsFiles(dir: string): string[] {
  if (dir.endsWith('.ts')) return [dir];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')
      ? [path]
      : [];
  });
}
