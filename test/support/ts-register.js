// The require hook that runs TypeScript files in child processes of tests (spawnTs in
// spawn-ts.ts) and of bench/:
// `node -r ./test/support/ts-register.js child.ts`. It only transpiles (the type check
// is `tsc --noEmit`), with the project's decorator settings.
//
// Transpiled files are cached on disk, keyed by their path and source, so a child does
// not transpile the whole library again (seconds on a busy host) and loads the
// TypeScript compiler only when a file changed.
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const CACHE = path.join(os.tmpdir(), 'celeriac-ts-register');
const CACHE_VERSION = '1';

let ts;
function compilerOptions() {
  ts ??= require('typescript');
  return {
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2022,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    esModuleInterop: true,
    sourceMap: false,
    inlineSourceMap: true,
  };
}

function transpile(filename, source) {
  const compilerVersion = require('typescript/package.json').version;
  const key = crypto
    .createHash('sha1')
    .update(`${CACHE_VERSION}\0${compilerVersion}\0${filename}\0${source}`)
    .digest('hex');
  const cached = path.join(CACHE, `${key}.js`);
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    // not cached yet
  }
  const options = compilerOptions();
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: options,
    fileName: filename,
  });
  try {
    // Written aside and renamed: a concurrent reader sees the whole file or none.
    fs.mkdirSync(CACHE, { recursive: true });
    const partial = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(partial, outputText);
    fs.renameSync(partial, cached);
  } catch {
    // a cache that cannot be written only costs time
  }
  return outputText;
}

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  module._compile(transpile(filename, source), filename);
};
