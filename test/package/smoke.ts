/**
 * The package smoke test (`npm run test:package`, run by .ci/run): packs a copy of the
 * library (so the repository's dist/, which `nest build` writes too, is left alone),
 * installs the tarball into a fresh Nest 10 app and a fresh Nest 11 app (files written
 * here and taken from README.md), and for each:
 * - fails if a second copy of @nestjs/core or @nestjs/common got installed;
 * - builds it with `nest build`, strict;
 * - runs a @Task on a memory broker through `celeriac/testing`;
 * - starts the README's worker with `nest start worker` and the README's web app on a
 *   Redis of the test's own (one db per app), and has the app send a task the worker runs;
 * - runs the package's `celeriac` bin: `npx celeriac --help`, and `status` finds the worker.
 * Needs the npm registry and `redis-server`. CELERIAC_SMOKE_KEEP=1 keeps the apps.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrivateRedisServer, freePort } from '../support/private-redis-server';
import { writeFreshApp } from './fresh-app';
import { copyPackageSource } from './package-source';
import { NEST_VERSIONS, NestVersion } from './nest-versions';
import { secondNestCopies } from './nest-copies';
import { Background, run } from './processes';

const ROOT = join(__dirname, '../..');
const started = Date.now();

function log(label: string, message: string): void {
  const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(6);
  console.log(`${seconds}s ${label.padEnd(7)} ${message}`);
}

/** Packs a copy of the library (built in the copy, never in the repository's dist/). */
async function pack(into: string): Promise<string> {
  const source = copyPackageSource(ROOT, join(into, 'source'));
  const output = await run(
    'npm',
    ['pack', '--json', '--pack-destination', into],
    {
      cwd: source,
    },
  );
  const [{ filename, entryCount, files }] = JSON.parse(
    output.slice(output.indexOf('[\n')),
  ) as {
    filename: string;
    entryCount: number;
    files: { path: string }[];
  }[];
  log('pack', `${filename}, ${entryCount} files`);
  // Files the compiler does not emit, copied by build:lib: without them the package breaks.
  const packed = new Set(files.map((file) => file.path));
  const missing = [
    'dist/drivers/redis/lua',
    'dist/dashboard/assets/index.html',
    'dist/dashboard/assets/dashboard.js',
    'dist/dashboard/assets/dashboard.css',
  ].filter(
    (path) =>
      ![...packed].some((name) => name === path || name.startsWith(`${path}/`)),
  );
  if (missing.length > 0) {
    throw new Error(`the package lacks ${missing.join(', ')}`);
  }
  return join(into, filename);
}

async function smokeTest(
  version: NestVersion,
  dir: string,
  tarball: string,
  brokerUrl: string,
): Promise<void> {
  const { label } = version;
  writeFreshApp(dir, version, tarball);
  await run('npm', ['install', '--no-audit', '--no-fund'], { cwd: dir });
  const versions = [
    '@nestjs/core',
    '@nestjs/cli',
    'reflect-metadata',
    'typescript',
  ]
    .map((name) => `${name}@${installedVersion(dir, name)}`)
    .join(', ');
  log(label, `installed ${versions}`);

  const copies = secondNestCopies(dir);
  if (copies.length > 0) throw new Error(`${copies.join('; ')}`);
  log(label, 'one copy each of @nestjs/core and @nestjs/common');

  await run('npx', ['nest', 'build'], { cwd: dir });
  log(label, 'nest build (strict): compiled');

  log(
    label,
    (
      await run('node', ['dist/smoke/memory-round-trip.js'], { cwd: dir })
    ).trim(),
  );

  const env = { ...process.env, BROKER_URL: brokerUrl };
  const worker = new Background('npx', ['nest', 'start', 'worker'], dir, env);
  let web: Background | undefined;
  try {
    await worker.waitFor('Consuming celery', 120_000);
    log(label, `nest start worker: consuming celery on ${brokerUrl}`);
    await checkCli(label, dir, brokerUrl);
    const port = await freePort();
    web = new Background('node', ['dist/main.js'], dir, {
      ...env,
      PORT: String(port),
    });
    await web.waitFor('Nest application successfully started', 30_000);
    const response = await postWhenListening(
      `http://127.0.0.1:${port}/math/add`,
      {
        a: 2,
        b: 3,
      },
    );
    const body = (await response.json()) as { taskId?: string; sum?: number };
    if (response.status !== 201 || body.sum !== 5 || !body.taskId) {
      throw new Error(
        `${label}: POST /math/add answered ${response.status} ${JSON.stringify(body)}`,
      );
    }
    log(
      label,
      `the app sent math.add, the worker ran it: ${JSON.stringify(body)}`,
    );
  } finally {
    await web?.stop();
    await worker.stop();
  }
  if (!worker.output.includes('Stopped consuming celery')) {
    throw new Error(
      `${label}: the worker did not stop cleanly on SIGTERM:\n${worker.output}`,
    );
  }
  log(label, 'worker stopped cleanly on SIGTERM');
}

/**
 * The package's `celeriac` bin, installed from the tarball: `--help`, and `status --json`
 * finding the worker just started.
 */
async function checkCli(
  label: string,
  dir: string,
  brokerUrl: string,
): Promise<void> {
  const help = await run('npx', ['celeriac', '--help'], { cwd: dir });
  if (!help.includes('Usage: celeriac')) {
    throw new Error(`${label}: npx celeriac --help printed:\n${help}`);
  }
  const status = await run('npx', ['celeriac', 'status', '--json', '-t', '3'], {
    cwd: dir,
    env: { ...process.env, CELERIAC_BROKER_URL: brokerUrl },
  });
  const { nodes } = JSON.parse(status) as { nodes: string[] };
  if (nodes.length !== 1) {
    throw new Error(`${label}: npx celeriac status --json printed ${status}`);
  }
  log(label, `npx celeriac status: ${nodes[0]} answers`);
}

/**
 * POSTs once the server accepts connections: Nest logs "successfully started" before
 * its HTTP server listens.
 */
async function postWhenListening(
  url: string,
  body: unknown,
): Promise<Response> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

function installedVersion(dir: string, name: string): string {
  const manifest = join(dir, 'node_modules', name, 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string })
    .version;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'celeriac-package-'));
  const redis = await PrivateRedisServer.start();
  try {
    const tarball = await pack(dir);
    // Both apps at once (mostly waiting on npm); each on its own Redis db, so each
    // worker can only have run its own app's task. One failing lets the other finish.
    const outcomes = await Promise.allSettled(
      NEST_VERSIONS.map((version, i) =>
        smokeTest(
          version,
          join(dir, version.label),
          tarball,
          `${redis.url}/${i + 1}`,
        ),
      ),
    );
    const failures = outcomes.flatMap((outcome, i) =>
      outcome.status === 'rejected'
        ? [`${NEST_VERSIONS[i].label}: ${errorText(outcome.reason)}`]
        : [],
    );
    if (failures.length > 0) throw new Error(failures.join('\n\n'));
    log(
      'done',
      `both apps pass, in ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
  } finally {
    await redis.stop();
    if (process.env.CELERIAC_SMOKE_KEEP) log('kept', dir);
    else rmSync(dir, { recursive: true, force: true });
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

main().catch((error: unknown) => {
  console.error(
    `FAILED after ${((Date.now() - started) / 1000).toFixed(0)} s\n${errorText(error)}`,
  );
  process.exit(1);
});
