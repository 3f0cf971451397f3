import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The naming conventions of docs/architecture.md ("Conventions"), checked over lib/. */
const LIB = join(__dirname, '..', '..', 'lib');
const NEST_SUFFIXES = [
  '.module.ts',
  '.controller.ts',
  '.explorer.ts',
  '.registry.ts',
  '.decorator.ts',
  '.service.ts',
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const files = sourceFiles(LIB).map((path) => ({
  name: relative(LIB, path),
  text: readFileSync(path, 'utf8'),
}));
const nestClass = /^@(Injectable|Module|Controller)\(/m;

describe('lib/ conventions', () => {
  it('a file that declares a Nest class carries its role as suffix', () => {
    const unsuffixed = files
      .filter(({ text }) => nestClass.test(text))
      .filter(({ name }) => !NEST_SUFFIXES.some((s) => name.endsWith(s)))
      .map(({ name }) => name);
    expect(unsuffixed).toEqual([]);
  });

  it('a file with a Nest suffix holds a Nest class or decorator', () => {
    const misnamed = files
      .filter(({ name }) => NEST_SUFFIXES.some((s) => name.endsWith(s)))
      .filter(({ name }) => !name.endsWith('.decorator.ts'))
      .filter(({ text }) => !nestClass.test(text))
      .map(({ name }) => name);
    expect(misnamed).toEqual([]);
  });

  it('exported error classes live in an errors.ts', () => {
    const stray = files
      .filter(({ name }) => !name.endsWith('errors.ts'))
      .filter(({ text }) => /^export class \w+ extends \w*Error\b/m.test(text))
      .map(({ name }) => name);
    expect(stray).toEqual([]);
  });
});

/** What the repository must not lean on: material outside it (docs/wire-format.md says it). */
describe('the repository points nowhere outside itself', () => {
  const ROOT = join(__dirname, '..', '..');
  const OUTSIDE = [
    ['..', 'shared'].join('/'), // spelled apart, so this check does not find itself
    ['', 'work', 'shared'].join('/'),
    'celery.md',
    'celery-wire-samples.md',
    'operability.md',
    'nest-ecosystem.md',
    'DESIGN.md',
  ];
  const TEXT = /\.(ts|js|md|py|json)$/;
  const textFiles = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory())
        return ['node_modules', 'results', 'dist'].includes(entry.name)
          ? []
          : textFiles(path);
      return TEXT.test(entry.name) ? [path] : [];
    });

  it('no file names the reference notes or the shared folder beside the repo', () => {
    const files = [
      ...['lib', 'docs', 'test', 'bench', 'sample-app'].flatMap((dir) =>
        textFiles(join(ROOT, dir)),
      ),
      join(ROOT, 'README.md'),
    ].filter((path) => path !== __filename);
    const pointing = files.flatMap((path) => {
      const text = readFileSync(path, 'utf8');
      return OUTSIDE.filter((name) => text.includes(name)).map(
        (name) => `${relative(ROOT, path)}: ${name}`,
      );
    });
    expect(pointing).toEqual([]);
  });
});

/** docs/architecture.md: test/unit/<layer>/<file>.spec.ts tests lib/<layer>/<file>.ts. */
describe('test/unit/ mirrors lib/', () => {
  const UNIT = __dirname;
  /** Specs about the repository rather than one file of lib/. */
  const REPOSITORY_CHECKS = [
    'conventions.spec.ts',
    'layers.spec.ts',
    'docs/doc-blocks.spec.ts',
    'docs/exported-names.spec.ts',
  ];

  it('every unit spec is named after the lib/ file it tests', () => {
    const libFiles = new Set(files.map(({ name }) => name));
    const orphans = sourceFiles(UNIT)
      .map((path) => relative(UNIT, path))
      .filter((name) => name.endsWith('.spec.ts'))
      .filter((name) => !REPOSITORY_CHECKS.includes(name))
      .filter((name) => !libFiles.has(name.replace(/\.spec\.ts$/, '.ts')));
    expect(orphans).toEqual([]);
  });
});
