/**
 * The chaos suite (`npm run chaos`; `npm run chaos -- --short` in .ci/run): each
 * scenario disrupts workers, brokers or beats under load and prints tasks sent,
 * completed, lost and run twice. Exits 1 on any loss. Scenarios may be named to run
 * only those: `npm run chaos -- --short redis-restart beat`. The Sentinel failover is left
 * out of an unnamed short run: its fleet of five servers adds about 30 s to CI's 80.
 */
import { amqpConnectionClose } from './amqp-connection-close';
import { beatFleetKills } from './beat-fleet-kills';
import { hostileMessages } from './hostile-messages';
import { redisRestart } from './redis-restart';
import { sentinelFailover } from './sentinel-failover';
import { Tally, printTallies } from './tally';
import { workerKills } from './worker-kills';

const args = process.argv.slice(2);
const short = args.includes('--short');
const only = args.filter((arg) => !arg.startsWith('--'));
/** Scenarios a short run includes only when named. */
const FULL_RUN_ONLY = new Set(['sentinel']);

/** Full runs: 10,000 tasks under kills; the short run keeps CI under two minutes. */
const SCENARIOS: Record<string, () => Promise<Tally>> = {
  'kills-redis': () =>
    workerKills(
      'redis',
      short
        ? { count: 500, perSecond: 80, taskMs: 50 }
        : { count: 10_000, perSecond: 250, taskMs: 50 },
    ),
  'kills-amqp': () =>
    workerKills(
      'amqp',
      short
        ? { count: 500, perSecond: 80, taskMs: 50 }
        : { count: 10_000, perSecond: 250, taskMs: 50 },
    ),
  'redis-restart': () =>
    redisRestart(
      short
        ? { count: 400, perSecond: 80, taskMs: 50 }
        : { count: 3000, perSecond: 200, taskMs: 50 },
    ),
  sentinel: () =>
    sentinelFailover(
      short
        ? { count: 400, perSecond: 80, taskMs: 50 }
        : { count: 3000, perSecond: 200, taskMs: 50 },
    ),
  'amqp-close': () =>
    amqpConnectionClose(
      short
        ? { count: 400, perSecond: 60, taskMs: 50 }
        : { count: 3000, perSecond: 200, taskMs: 50 },
    ),
  beat: () => beatFleetKills(short ? 10 : 40),
  'hostile-redis': () => hostileMessages('redis', short ? 1 : 5),
  'hostile-amqp': () => hostileMessages('amqp', short ? 1 : 5),
};

async function main(): Promise<void> {
  const names =
    only.length > 0
      ? only
      : Object.keys(SCENARIOS).filter(
          (name) => !(short && FULL_RUN_ONLY.has(name)),
        );
  const unknown = names.filter((name) => !(name in SCENARIOS));
  if (unknown.length > 0) {
    throw new Error(
      `no scenario ${unknown.join(', ')} (there are: ${Object.keys(SCENARIOS).join(', ')})`,
    );
  }
  const tallies: Tally[] = [];
  for (const name of names) {
    const started = Date.now();
    console.log(`# ${name}${short ? ' (short)' : ''}: running...`);
    const tally = await SCENARIOS[name]().catch((error: unknown): Tally => ({
      scenario: name,
      sent: 0,
      completed: 0,
      lost: 1,
      runTwice: 0,
      notes: `failed: ${String(error)}`,
    }));
    tallies.push(tally);
    console.log(
      `  sent ${tally.sent}, completed ${tally.completed}, lost ${tally.lost}, run twice ${tally.runTwice}` +
        `${tally.notes ? ` (${tally.notes})` : ''}; ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
  }
  const ok = printTallies(tallies);
  process.exit(ok ? 0 : 1);
}

void main();
