import { ChildProcess, spawn } from 'node:child_process';

/**
 * Runs a TypeScript file in a child `node` process, transpiled on require by the
 * `typescript` package (no ts-node here). The hook is passed inline so no JS file
 * sits outside the type-checked, linted project.
 */
const REGISTER = `
const ts = require('typescript');
const fs = require('fs');
require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
    },
    fileName: filename,
  });
  module._compile(outputText, filename);
};
require(process.argv[1]);
`;

export function spawnTs(
  script: string,
  env: Record<string, string> = {},
): ChildProcess {
  return spawn(process.execPath, ['-e', REGISTER, script], {
    cwd: process.cwd(),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Resolves with the first stdout line matching `pattern`; rejects if the child exits first. */
export function waitForLine(
  child: ChildProcess,
  pattern: RegExp,
  timeoutMs = 10_000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    let errors = '';
    const timer = setTimeout(
      () =>
        finish(
          new Error(
            `no line matching ${pattern} within ${timeoutMs} ms; stderr: ${errors}`,
          ),
        ),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer
        .split('\n')
        .find((candidate) => pattern.test(candidate));
      if (line !== undefined) finish(undefined, line);
    };
    const onError = (chunk: Buffer) => (errors += chunk.toString());
    const onExit = (code: number | null) =>
      finish(
        new Error(
          `child exited (${code}) before printing ${pattern}; stderr: ${errors}`,
        ),
      );
    const finish = (error?: Error, line?: string) => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onError);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(line!);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onError);
    child.once('exit', onExit);
  });
}
