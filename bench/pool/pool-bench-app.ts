import { createHash } from 'node:crypto';
import { Injectable, Module } from '@nestjs/common';
import { Task, TaskQueueModule } from '../../lib';

/** The pool bench's tasks, on the memory broker: the bench drives the runs itself. */
@Injectable()
export class PoolBenchTasks {
  /** CPU-bound: `rounds` SHA-256 digests chained (the bench picks rounds for ~20 ms). */
  @Task('bench.hash')
  hash(id: string, rounds: number): { id: string; pid: number } {
    hashRounds(rounds);
    return { id, pid: process.pid };
  }

  @Task('bench.tiny')
  tiny(n: number): number {
    return n;
  }
}

export function hashRounds(rounds: number): string {
  let digest = Buffer.alloc(1024, 7);
  for (let n = 0; n < rounds; n++)
    digest = Buffer.concat([
      createHash('sha256').update(digest).digest(),
      digest.subarray(32),
    ]);
  return digest.toString('hex', 0, 8);
}

@Module({
  imports: [TaskQueueModule.forRoot({ broker: 'memory://pool-bench' })],
  providers: [PoolBenchTasks],
})
export class PoolBenchModule {}
