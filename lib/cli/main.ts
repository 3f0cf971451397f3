#!/usr/bin/env node
// The `celeriac` command (package.json "bin"): see docs/cli.md.
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './program';

function packageVersion(): string {
  const manifest = join(__dirname, '..', '..', 'package.json');
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string })
      .version;
  } catch {
    return 'unknown';
  }
}

void runCli(process.argv, packageVersion()).then((code) => {
  // Exit once stdout is flushed: connections closed, nothing else should keep it alive.
  process.stdout.write('', () => process.exit(code));
});
