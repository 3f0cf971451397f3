import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { markdownBlocks } from '../support/markdown-blocks';
import { NestVersion } from './nest-versions';

const README = join(__dirname, '../../README.md');

/**
 * The app files the README shows (`<!-- file: PATH -->` blocks), exactly as written:
 * what a user copies is what the smoke test installs and runs.
 */
export function readmeAppFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const block of markdownBlocks(
    'README.md',
    readFileSync(README, 'utf8'),
  )) {
    if (block.file) files.set(block.file, `${block.code}\n`);
  }
  for (const needed of [
    'nest-cli.json',
    'src/worker.ts',
    'src/worker.module.ts',
    'src/app.module.ts',
  ]) {
    if (!files.has(needed))
      throw new Error(
        `README.md shows no ${needed} (<!-- file: ${needed} --> block)`,
      );
  }
  return files;
}

/** `src/main.ts` as `nest new` writes it (the README says it stays so). */
const MAIN = `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  await app.listen(process.env.PORT ?? 3000);
}
bootstrap();
`;

/**
 * The smoke test's own check, not the README's: the README's MathModule on a memory
 * broker through celeriac/testing, so the \`./testing\` entry is used as installed.
 */
const MEMORY_ROUND_TRIP = `import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TaskClient } from 'celeriac';
import { TaskQueueTester, TaskQueueTestingModule } from 'celeriac/testing';
import { MathModule } from '../math/math.module';
import { MathTasks } from '../math/math.tasks';

@Module({ imports: [TaskQueueTestingModule.forRoot(), MathModule] })
class MemorySmokeModule {}

async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(MemorySmokeModule, { logger: false });
  const result = await app.get(TaskClient).task(MathTasks, 'add').delay(2, 3);
  await app.get(TaskQueueTester).drain();
  const sum: number = await result.get({ timeout: 5 });
  await app.close();
  if (sum !== 5) throw new Error(\`memory round trip: 2 + 3 gave \${sum}\`);
  console.log('memory round trip: 2 + 3 = 5');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
`;

/** Writes a fresh Nest app of `version` into `dir`, depending on the packed tarball. */
export function writeFreshApp(
  dir: string,
  version: NestVersion,
  tarball: string,
): void {
  const files = new Map<string, string>([
    [
      'package.json',
      json({
        name: `celeriac-smoke-${version.label}`,
        version: '0.0.1',
        private: true,
        scripts: { build: 'nest build', start: 'nest start' },
        dependencies: { ...version.dependencies, celeriac: `file:${tarball}` },
        devDependencies: version.devDependencies,
      }),
    ],
    ['tsconfig.json', json({ compilerOptions: version.tsconfig })],
    [
      'tsconfig.build.json',
      json({
        extends: './tsconfig.json',
        exclude: ['node_modules', 'test', 'dist', '**/*spec.ts'],
      }),
    ],
    ['src/main.ts', MAIN],
    ['src/smoke/memory-round-trip.ts', MEMORY_ROUND_TRIP],
    ...readmeAppFiles(),
  ]);
  for (const [path, text] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
