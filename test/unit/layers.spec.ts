import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The layer rule of docs/architecture.md is a lint rule (eslint.config.mjs): this lints
 * real lib/ files with one import added that the map forbids, and expects lint to fail;
 * the same for the other rules lint enforces there.
 * ESLint runs in a child process, as `npm run lint` does: its config is an ES module,
 * which jest's CommonJS runtime cannot load.
 */
const ROOT = join(__dirname, '..', '..');

interface Probe {
  file: string;
  importLine: string;
}

const LINT_PROBES = `
  const { ESLint } = require('eslint');
  const probes = JSON.parse(process.argv[1]);
  (async () => {
    const eslint = new ESLint({ cwd: process.cwd() });
    const out = [];
    for (const { file, text } of probes) {
      const [result] = await eslint.lintText(text, { filePath: file });
      out.push(result.messages.map((m) => m.ruleId + ': ' + m.message));
    }
    process.stdout.write(JSON.stringify(out));
  })();
`;

/** The lint messages of each file with its import line put first. */
function lintWithImports(probes: Probe[]): string[][] {
  const texts = probes.map(({ file, importLine }) => ({
    file: join(ROOT, file),
    text: [importLine, readFileSync(join(ROOT, file), 'utf8')]
      .filter(Boolean)
      .join('\n'),
  }));
  const out = execFileSync(
    process.execPath,
    ['-e', LINT_PROBES, JSON.stringify(texts)],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
  );
  return JSON.parse(out) as string[][];
}

const CASES: [string, string, string, string][] = [
  [
    'protocol imports only common',
    'lib/protocol/json.ts',
    "export { TaskWorker } from '../worker/task-worker';",
    'import-x/no-restricted-paths',
  ],
  [
    'client does not import worker (no folder cycle)',
    'lib/client/task-client.service.ts',
    "export { EagerRunner } from '../worker/eager-runner.service';",
    'import-x/no-restricted-paths',
  ],
  [
    'only module/ picks a concrete class',
    'lib/worker/task-worker.ts',
    "export { RedisTransport } from '../transports/redis/redis-transport';",
    'import-x/no-restricted-paths',
  ],
  [
    'transports never import Nest',
    'lib/transports/redis/redis-transport.ts',
    "export { Injectable } from '@nestjs/common';",
    'no-restricted-imports',
  ],
  [
    'no function literal is assigned to a property (V8 pretenures it)',
    'lib/protocol/json.ts',
    'const probe: { f?: () => number } = {}; probe.f = () => 1;',
    'no-restricted-syntax',
  ],
  [
    'nor through a TypeScript assertion',
    'lib/protocol/json.ts',
    'type F = () => number; const probe: { f?: F } = {}; probe.f = (() => 1) as F;',
    'no-restricted-syntax',
  ],
];

describe('the layers, and the rules of docs/architecture.md, are lint rules', () => {
  let clean: string[];
  let broken: string[][];

  beforeAll(() => {
    const results = lintWithImports([
      { file: 'lib/protocol/json.ts', importLine: '' },
      ...CASES.map(([, file, importLine]) => ({ file, importLine })),
    ]);
    [clean, ...broken] = results;
  }, 180_000);

  it('a file as it is passes', () => {
    expect(clean).toEqual([]);
  });

  it.each(CASES.map((c, i) => [c[0], c[3], i] as const))(
    '%s',
    (_rule, ruleId, i) => {
      expect(broken[i]).toEqual(
        expect.arrayContaining([expect.stringMatching(`^${ruleId}:`)]),
      );
    },
  );
});
