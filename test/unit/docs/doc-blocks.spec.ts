import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkDocBlocks } from '../../support/doc-check';
import { markdownBlocks } from '../../support/markdown-blocks';

const ROOT = join(__dirname, '../../..');

/** README.md and every page of docs/, as the doc test reads them. */
function documents(): { path: string; text: string }[] {
  const pages = readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`);
  return ['README.md', ...pages].map((path) => ({
    path,
    text: readFileSync(join(ROOT, path), 'utf8'),
  }));
}

// Building one program over the library and every block takes a few seconds.
jest.setTimeout(120_000);

describe('the TypeScript blocks of README.md and docs/', () => {
  it('compile, strict, against the public entry points only', () => {
    const docs = documents();
    // The parser finds every block a reader sees (none is skipped unchecked).
    const fences = docs.flatMap((doc) =>
      doc.text
        .split('\n')
        .filter((line) => /^\s*```(ts|typescript)\s*$/.test(line)),
    );
    const blocks = docs
      .flatMap((doc) => markdownBlocks(doc.path, doc.text))
      .filter((block) => block.lang === 'ts' || block.lang === 'typescript');
    expect(blocks.length).toBe(fences.length);
    expect(blocks.length).toBeGreaterThan(0);
    const problems = checkDocBlocks(docs).map(
      ({ at, message }) => `${at}: ${message}`,
    );
    expect(problems).toEqual([]);
  });

  it('a block that does not compile, imports lib/ by path, or is not JSON, is reported at its line', () => {
    const page = [
      '# A page',
      '',
      '<!-- context:',
      "import { TaskClient } from 'celeriac';",
      'async function example(tasks: TaskClient) {',
      '<block>',
      '}',
      '-->',
      '```ts',
      "const result = await tasks.send('math.add', [2, 3]);",
      'result.nonsense();',
      '```',
      '',
      '```ts',
      "import { MemoryTransport } from '../lib/transports/memory';",
      'void MemoryTransport;',
      '```',
      '',
      '```typescript',
      "import { Task } from 'celeriac';",
      'const bad: number = Task;',
      '```',
      '',
      '<!-- file: nest-cli.json -->',
      '```json',
      '{ "sourceRoot": "src", }',
      '```',
    ].join('\n');
    const problems = checkDocBlocks([
      { path: 'docs/broken.md', text: page },
    ]).map(({ at, message }) => `${at}: ${message}`);
    expect(problems.sort()).toEqual([
      expect.stringMatching(
        /^docs\/broken\.md:11: TS2339: Property 'nonsense'/,
      ),
      expect.stringMatching(
        /^docs\/broken\.md:14: imports \.\.\/lib\/transports\/memory, a path into lib\//,
      ),
      expect.stringMatching(/^docs\/broken\.md:21: TS2322/),
      expect.stringMatching(/^docs\/broken\.md:25: .*JSON/),
    ]);
  });
});
