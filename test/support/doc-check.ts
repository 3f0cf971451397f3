import { join, relative, resolve } from 'node:path';
import * as ts from 'typescript';
import { MarkdownBlock, markdownBlocks } from './markdown-blocks';

const ROOT = resolve(__dirname, '../..');
/** The public entry points, as a user's app imports them. */
const ENTRY_POINTS = {
  celeriac: join(ROOT, 'lib/index.ts'),
  'celeriac/testing': join(ROOT, 'lib/testing/index.ts'),
};
const TYPESCRIPT = new Set(['ts', 'typescript']);

/** One problem with one block: where it is in the markdown, and what is wrong. */
export interface DocProblem {
  /** `docs/redis.md:178`: the line in the document. */
  at: string;
  message: string;
}

interface CheckedFile {
  block: MarkdownBlock;
  path: string;
  text: string;
  /** Lines of the file before the block's first line. */
  offset: number;
}

/**
 * Type-checks every TypeScript block of the documents (path relative to the repo, and
 * text) the way a user's strict project would compile it against `celeriac` and
 * `celeriac/testing` (here mapped to lib/), and checks JSON file blocks parse. A block
 * may not import lib/ by path: users only have the package's entry points.
 */
export function checkDocBlocks(
  docs: { path: string; text: string }[],
): DocProblem[] {
  const problems: DocProblem[] = [];
  const files = new Map<string, CheckedFile>();
  for (const doc of docs) {
    for (const block of markdownBlocks(doc.path, doc.text)) {
      if (block.lang === 'json' && block.file) {
        try {
          JSON.parse(block.code);
        } catch (error) {
          problems.push({
            at: `${doc.path}:${block.line}`,
            message: (error as Error).message,
          });
        }
      }
      if (!TYPESCRIPT.has(block.lang)) continue;
      const file = virtualFile(doc.path, block);
      problems.push(...internalImports(file));
      const twin = files.get(file.path);
      if (twin) {
        problems.push({
          at: `${doc.path}:${block.line}`,
          message: `${block.file} is shown twice (also at ${twin.block.doc}:${twin.block.line})`,
        });
      }
      files.set(file.path, file);
    }
  }
  const program = ts.createProgram({
    rootNames: [...files.keys()],
    options: compilerOptions(),
    host: hostWith(files),
  });
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    problems.push(describe(diagnostic, files));
  }
  return problems;
}

/**
 * Where a block lives while it is compiled, and the text compiled. Every document's
 * blocks share one folder, the app they describe: file blocks sit at their path (the
 * README's Set up section lays out `src/`), so a block or a context imports them
 * (`./src/math/math.tasks`). Bare specifiers resolve from the repository root too
 * (`test/conformance/execution`), for contributor docs.
 */
function virtualFile(doc: string, block: MarkdownBlock): CheckedFile {
  const folder = join(ROOT, '.doc-files');
  if (block.file) {
    return {
      block,
      path: join(folder, block.file),
      text: block.code,
      offset: 0,
    };
  }
  const before = block.context?.before ?? '';
  const after = block.context?.after ?? '';
  const head = before === '' ? '' : `${before}\n`;
  return {
    block,
    path: join(folder, `${doc.replace(/\W/g, '_')}_${block.line}.ts`),
    // `export {}` keeps each block a module: blocks never share names.
    text: `${head}${block.code}\n${after}\nexport {};\n`,
    offset: head.split('\n').length - 1,
  };
}

/**
 * Imports of the library by path (`./lib/transports/amqp`, `../../lib`): users cannot,
 * they import `celeriac`. Any specifier with a `lib` folder in it counts.
 */
function internalImports(file: CheckedFile): DocProblem[] {
  const specifiers =
    /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]([^'"]+)['"]/g;
  return [...file.text.matchAll(specifiers)]
    .map(([, specifier]) => specifier)
    .filter((specifier) => /(^|\/)lib(\/|$)/.test(specifier))
    .map((specifier) => ({
      at: `${file.block.doc}:${file.block.line}`,
      message: `imports ${specifier}, a path into lib/: import from 'celeriac' (or 'celeriac/testing') instead`,
    }));
}

function compilerOptions(): ts.CompilerOptions {
  const configPath = join(ROOT, 'tsconfig.json');
  const { config } = ts.readConfigFile(configPath, (path) =>
    ts.sys.readFile(path),
  ) as {
    config: unknown;
  };
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, ROOT);
  return {
    ...options,
    strict: true,
    noEmit: true,
    declaration: false,
    isolatedModules: false,
    baseUrl: ROOT,
    paths: Object.fromEntries(
      Object.entries(ENTRY_POINTS).map(([name, path]) => [name, [path]]),
    ),
  };
}

function hostWith(files: Map<string, CheckedFile>): ts.CompilerHost {
  const base = ts.createCompilerHost(compilerOptions());
  const folders = new Set(
    [...files.keys()].flatMap((path) =>
      path
        .split('/')
        .slice(1, -1)
        .map((_, i, parts) => `/${parts.slice(0, i + 1).join('/')}`),
    ),
  );
  return {
    ...base,
    directoryExists: (path) =>
      folders.has(path) || ts.sys.directoryExists(path),
    fileExists: (path) => files.has(path) || ts.sys.fileExists(path),
    readFile: (path) => files.get(path)?.text ?? ts.sys.readFile(path),
    getSourceFile: (path, language, onError, create) => {
      const file = files.get(path);
      if (file) return ts.createSourceFile(path, file.text, language, true);
      return base.getSourceFile(path, language, onError, create);
    },
  };
}

function describe(
  diagnostic: ts.Diagnostic,
  files: Map<string, CheckedFile>,
): DocProblem {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
  const file = diagnostic.file && files.get(diagnostic.file.fileName);
  if (!file || diagnostic.start === undefined) {
    const where = diagnostic.file
      ? relative(ROOT, diagnostic.file.fileName)
      : 'program';
    return { at: where, message: `TS${diagnostic.code}: ${message}` };
  }
  const { line } = diagnostic.file!.getLineAndCharacterOfPosition(
    diagnostic.start,
  );
  const inBlock = line - file.offset;
  const codeLines = file.block.code.split('\n').length;
  const at =
    inBlock >= 0 && inBlock < codeLines
      ? `${file.block.doc}:${file.block.line + 1 + inBlock}`
      : `${file.block.doc}:${file.block.line} (in its context comment)`;
  return { at, message: `TS${diagnostic.code}: ${message}` };
}
