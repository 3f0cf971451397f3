// One beat of a fleet (BeatProcess in beat-process.ts starts it, for the fleet test and
// the chaos suite): boots a Nest app whose only task is periodic, with beat on and its
// tick lock on the real Redis. Tasks go to this process's
// own memory broker; each message enqueued is reported on stdout as a `FLEET {...}` line,
// so the test counts runs across the fleet without sharing a broker.
import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import {
  BEAT_HEADERS,
  Periodic,
  TaskQueueModule,
  bootstrapBeat,
} from '../../lib';
import { MemoryBroker } from '../../lib/transports/memory';

const {
  SCHEDULE_NAME = 'fleet.tick',
  QUEUE = 'fleet',
  LOCK_URL,
  KEY_PREFIX,
  BEAT_NAME = 'beat',
} = process.env;

function report(event: Record<string, unknown>): void {
  process.stdout.write(
    `FLEET ${JSON.stringify({ beat: BEAT_NAME, ...event })}\n`,
  );
}

@Injectable()
class FleetTasks {
  @Periodic({ every: '1s', name: SCHEDULE_NAME, queue: QUEUE })
  tick(): void {}
}

@Module({
  imports: [TaskQueueModule.forRoot({ broker: 'memory://fleet' })],
  providers: [FleetTasks],
})
class FleetModule {}

async function main(): Promise<void> {
  const broker = MemoryBroker.named('fleet');
  broker.onAvailable(() => {
    for (let stored = broker.take(QUEUE); stored; stored = broker.take(QUEUE)) {
      const { headers } = JSON.parse(stored.serialized) as {
        headers: Record<string, string>;
      };
      report({
        event: 'sent',
        task: headers.task,
        id: headers.id,
        schedule: headers[BEAT_HEADERS.schedule],
        tick: headers[BEAT_HEADERS.tick],
      });
    }
  });
  await bootstrapBeat(FleetModule, {
    lockUrl: LOCK_URL,
    keyPrefix: KEY_PREFIX,
    logger: ['error'],
  });
  report({ event: 'ready' });
}

main().catch((error: unknown) => {
  process.stderr.write(`beat child failed: ${String(error)}\n`);
  process.exit(1);
});
