import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitUntil } from '../../support/wait';

/**
 * `npx nest start worker` builds the project and starts sample-app's worker entry
 * (nest-cli.json `projects.worker`): it boots without HTTP, consumes, and stops
 * cleanly on SIGTERM.
 */
describe('npx nest start worker', () => {
  it('boots the worker context and shuts down on SIGTERM', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'celeriac-worker-'));
    const child = spawn('npx', ['nest', 'start', 'worker'], {
      cwd: join(__dirname, '../../..'),
      env: { ...process.env, SAMPLE_DATA_DIR: dataDir, BROKER_URL: '' },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    try {
      await waitUntil(
        () => output.includes('Consuming celery, transcode'),
        90_000,
        'the worker to consume',
      );
      expect(output).toContain('Registered 5 task(s)');
      expect(output).not.toContain('Mapped {'); // no HTTP routes in a worker
      // The worker process is the node child of `nest start`; signal the whole group.
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
      await waitUntil(
        () => output.includes('Stopped consuming celery, transcode'),
        10_000,
        'a clean stop',
      );
    } finally {
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
