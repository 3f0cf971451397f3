import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitUntil } from '../../support/wait';

/**
 * `npx nest start worker` and `npx nest start beat` build the project and start
 * sample-app's entries (nest-cli.json `projects`): each boots without HTTP, does its
 * job, and stops cleanly on SIGTERM.
 */
describe('the sample app’s entry points', () => {
  it.each([
    {
      project: 'worker',
      ready: 'Consuming celery, transcode',
      stopped: /Stopped consuming celery, transcode/,
      also: 'Registered 5 task(s)', // Celery's built-ins (celery.*) are not counted
      // The schedules are beat's business: only debug output names them elsewhere.
      absent: /\bLOG\b[^\n]*periodic schedule/,
    },
    {
      project: 'beat',
      ready: 'runs 1 schedule(s)',
      stopped: /Beat \S+ stopped/,
      also: 'tick lock on',
      // Beat's own start line counts them; the explorer's line is debug output.
      absent: /\bLOG\b[^\n]*Found 1 periodic schedule/,
    },
  ])(
    'npx nest start $project boots and stops on SIGTERM',
    async ({ project, ready, stopped, also, absent }) => {
      const dataDir = await mkdtemp(join(tmpdir(), `celeriac-${project}-`));
      const child = spawn('npx', ['nest', 'start', project], {
        cwd: join(__dirname, '../../..'),
        env: { ...process.env, SAMPLE_DATA_DIR: dataDir, BROKER_URL: '' },
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<void>((resolve) =>
        child.on('exit', () => resolve()),
      );
      try {
        await waitUntil(
          () => output.includes(ready),
          90_000,
          `${project} to be ready`,
        );
        expect(output).toContain(also);
        expect(output).not.toMatch(absent);
        expect(output).not.toContain('Mapped {'); // no HTTP routes
        // The entry runs as the node child of `nest start`: signal the whole group.
        process.kill(-child.pid!, 'SIGTERM');
        await exited;
        await waitUntil(() => stopped.test(output), 10_000, 'a clean stop');
        expect(output).not.toMatch(/ERROR/);
      } finally {
        if (child.exitCode === null && child.signalCode === null)
          process.kill(-child.pid!, 'SIGKILL');
        await rm(dataDir, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
