import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { undocumentedExports } from '../../support/undocumented-exports';

const ROOT = join(__dirname, '../../..');

// One program over the library takes a few seconds.
jest.setTimeout(120_000);

describe('the public names', () => {
  it('every name exported from celeriac and celeriac/testing has a doc comment', () => {
    const entries = ['lib/index.ts', 'lib/testing/index.ts'].map((entry) =>
      join(ROOT, entry),
    );
    const missing = undocumentedExports(entries).map((line) =>
      line.replace(`${ROOT}/`, ''),
    );
    expect(missing).toEqual([]);
  });

  it('a name without one is reported, re-exported or declared in the entry', () => {
    const dir = mkdtempSync(join(tmpdir(), 'celeriac-exports-'));
    try {
      writeFileSync(
        join(dir, 'inner.ts'),
        [
          '/** Documented. */',
          'export class Documented {}',
          'export interface Bare {}',
          '/** @deprecated use Documented */',
          'export const tagged = 1;',
        ].join('\n'),
      );
      const entry = join(dir, 'index.ts');
      writeFileSync(
        entry,
        [
          "export { Documented, tagged } from './inner';",
          "export type { Bare } from './inner';",
          'export function plain(): void {}',
        ].join('\n'),
      );
      expect(undocumentedExports([entry]).sort()).toEqual([
        `${entry}: Bare`,
        `${entry}: plain`,
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
