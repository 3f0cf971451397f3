import { BeatProcess } from '../../test/support/beat-process';
import { REDIS_URL, deleteKeys } from '../../test/support/redis-keys';
import { sleep, uniqueName, waitUntil } from '../../test/support/wait';
import { Tally } from './tally';

/**
 * Three beats with a 1 s schedule and their tick lock on Redis; every 2 s the beat that
 * enqueued the latest tick is SIGKILLed (half a second after the tick, once it was
 * sent) and another takes its place. Every tick of the window must be sent, none twice.
 */
export async function beatFleetKills(seconds: number): Promise<Tally> {
  const prefix = `${uniqueName('chaos-beat')}:`;
  const env = {
    LOCK_URL: REDIS_URL,
    KEY_PREFIX: prefix,
    SCHEDULE_NAME: uniqueName('chaos.tick'),
    QUEUE: uniqueName('chaos-beat'),
  };
  const everyBeat: BeatProcess[] = [];
  const running = new Map<string, BeatProcess>();
  let started = 0;
  const start = (slot: string) => {
    const beat = new BeatProcess(`${slot}${++started}`, env);
    everyBeat.push(beat);
    running.set(slot, beat);
  };
  let kills = 0;
  try {
    for (const slot of ['a', 'b', 'c']) start(slot);
    await waitUntil(
      () => everyBeat.every((beat) => beat.ready),
      60_000,
      'three beats ready',
    );
    const from = Math.ceil(Date.now() / 1000) * 1000 + 1000;
    const to = from + seconds * 1000;
    const all = () => everyBeat.flatMap((beat) => beat.sent);
    for (let at = from + 2500; at < to - 1000; at += 2000) {
      await sleep(at - Date.now());
      const ready = [...running].filter(([, beat]) => beat.ready);
      if (ready.length < 2) continue; // the last one booting: keep a fleet
      const latest = all()
        .sort((x, y) => x.tick.localeCompare(y.tick))
        .pop();
      const victim =
        ready.find(([, beat]) => beat.name === latest?.beat) ?? ready[0];
      victim[1].kill('SIGKILL');
      kills++;
      start(victim[0]);
    }
    await sleep(to + 700 - Date.now());
    for (const beat of everyBeat) beat.kill('SIGTERM');
    await Promise.all(everyBeat.map((beat) => beat.stopped()));

    const ticks = all().map((run) => run.tick);
    const inWindow = new Set(
      ticks.filter((tick) => Date.parse(tick) >= from && Date.parse(tick) < to),
    );
    return {
      scenario: 'redis: beat fleet, the active beat SIGKILLed every 2 s',
      sent: seconds,
      completed: inWindow.size,
      lost: seconds - inWindow.size,
      runTwice: ticks.length - new Set(ticks).size,
      notes: `ticks of ${seconds} s, ${kills} beat kills`,
      failOnRunTwice: true,
    };
  } finally {
    for (const beat of everyBeat) beat.kill('SIGKILL');
    await Promise.all(
      everyBeat.map((beat) => beat.stopped().catch(() => undefined)),
    );
    await deleteKeys(prefix);
  }
}
