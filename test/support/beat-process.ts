import { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { spawnTs } from './spawn-ts';
import { waitUntil } from './wait';

/** One enqueue a beat reported: which beat, which schedule, which tick. */
export interface Sent {
  beat: string;
  schedule: string;
  tick: string;
}

/**
 * A beat child process (beat-fleet.child.ts: one periodic task every second, its tick
 * lock on Redis) and the enqueues it reported. The env gives LOCK_URL, KEY_PREFIX,
 * SCHEDULE_NAME and QUEUE, shared by the fleet.
 */
export class BeatProcess {
  readonly sent: Sent[] = [];
  ready = false;
  exited = false;
  private readonly child: ChildProcess;
  private stderr = '';

  constructor(
    readonly name: string,
    env: Record<string, string>,
  ) {
    this.child = spawnTs(join(__dirname, 'beat-fleet.child.ts'), {
      ...env,
      BEAT_NAME: name,
    });
    let buffered = '';
    this.child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) this.read(line);
    });
    this.child.stderr!.on(
      'data',
      (chunk: Buffer) => (this.stderr += chunk.toString()),
    );
    this.child.on('exit', () => (this.exited = true));
  }

  kill(signal: NodeJS.Signals): void {
    if (!this.exited) this.child.kill(signal);
  }

  async stopped(): Promise<void> {
    await waitUntil(
      () => this.exited,
      10_000,
      `${this.name} to exit (stderr: ${this.stderr})`,
    );
  }

  describe(): string {
    return `${this.name}: ${this.sent.length} sent, exited=${this.exited}, stderr=${this.stderr.slice(0, 500)}`;
  }

  private read(line: string): void {
    if (!line.startsWith('FLEET ')) return;
    const event = JSON.parse(line.slice(6)) as Sent & { event: string };
    if (event.event === 'ready') this.ready = true;
    if (event.event === 'sent')
      this.sent.push({
        beat: event.beat,
        schedule: event.schedule,
        tick: event.tick,
      });
  }
}
