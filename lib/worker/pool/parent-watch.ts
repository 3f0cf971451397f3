import { Worker } from 'node:worker_threads';

/** How often the thread looks at the parent, and how long a graceful exit may take. */
const POLL_MS = 250;
const GRACE_MS = 1000;

// Plain JavaScript, run as is by the thread (no build step can miss a second file).
const WATCH = `
const { workerData } = require('node:worker_threads');
let orphanedAt;
setInterval(() => {
  if (process.ppid === workerData.ppid) return;
  orphanedAt ??= Date.now();
  if (Date.now() - orphanedAt >= workerData.graceMs) process.kill(workerData.pid, 'SIGKILL');
}, workerData.pollMs);
`;

/**
 * Kills this pool child once its worker is gone (this process moved to a new parent).
 * The lost IPC channel ends the child gracefully, but only when its main thread gets to
 * run: one spinning the CPU never would, so a thread of its own watches, and kills the
 * process if it still stands `GRACE_MS` later. The thread never keeps the child alive.
 */
export function watchParent(): void {
  const watcher = new Worker(WATCH, {
    eval: true,
    workerData: {
      ppid: process.ppid,
      pid: process.pid,
      pollMs: POLL_MS,
      graceMs: GRACE_MS,
    },
  });
  watcher.unref();
}
