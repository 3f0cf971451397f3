import type Redis from 'ioredis';
import { percentile } from '../stats';

/**
 * Samples the process's RSS while a run lasts: `peak` is the highest sample, `steady`
 * the median of the second half (once buffers and JIT have settled).
 */
export class RssSampler {
  private readonly samples: number[] = [];
  private timer: NodeJS.Timeout | undefined;

  start(everyMs = 50): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  stop(): { peakMb: number; steadyMb: number } {
    clearInterval(this.timer);
    this.sample();
    const secondHalf = this.samples.slice(Math.floor(this.samples.length / 2));
    return {
      peakMb: Math.max(...this.samples) / 2 ** 20,
      steadyMb: percentile(secondHalf, 50) / 2 ** 20,
    };
  }

  private sample(): void {
    this.samples.push(process.memoryUsage.rss());
  }
}

/** The machine's wall clock in fractional ms (Date.now() only has whole ms). */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * The Redis server's CPU time so far in microseconds (user + system of its main
 * thread, from `INFO cpu`; the whole process's where the server does not split it).
 */
export async function redisCpuUs(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) =>
    Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1]);
  const main =
    field('used_cpu_user_main_thread') + field('used_cpu_sys_main_thread');
  const seconds = Number.isFinite(main)
    ? main
    : field('used_cpu_user') + field('used_cpu_sys');
  return seconds * 1e6;
}
