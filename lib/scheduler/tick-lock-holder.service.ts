import {
  Inject,
  Injectable,
  Logger,
  OnApplicationShutdown,
} from '@nestjs/common';
import { ResolvedBeatOptions } from '../options/beat-options';
import { BeatConfigurationError } from './errors';
import {
  BEAT_OPTIONS,
  TICK_LOCK_FACTORY,
  TickLockConfig,
  TickLockFactory,
} from './scheduler.tokens';
import { TickLock } from '../locks/tick-lock';

/**
 * The one tick lock store of this process, shared by beat and the registry, opened on
 * first use (a web app that never pauses a schedule opens no connection) and closed
 * after the beat stopped.
 */
@Injectable()
export class TickLockHolder implements OnApplicationShutdown {
  private lock: TickLock | null = null;
  private config: TickLockConfig | null = null;

  constructor(
    @Inject(BEAT_OPTIONS) private readonly options: ResolvedBeatOptions,
    @Inject(TICK_LOCK_FACTORY) private readonly factory: TickLockFactory,
  ) {}

  /**
   * The store: the one open already, else one for `config` (default: the module's).
   * Throws BeatConfigurationError when none can be made (RabbitMQ without lockUrl), or
   * when one is open already on another URL.
   */
  get(config?: TickLockConfig): TickLock {
    if (this.lock && this.config) {
      if (config && !sameConfig(config, this.config)) {
        throw new BeatConfigurationError(
          `the beat store is open already with ${describe(this.config)}; cannot also use ${describe(config)}`,
        );
      }
      return this.lock;
    }
    const wanted = config ?? {
      lockUrl: this.options.lockUrl,
      keyPrefix: this.options.keyPrefix,
    };
    this.lock = this.factory(wanted);
    this.config = wanted;
    return this.lock;
  }

  /** The store if one can be had, else undefined (the registry then shows no state). */
  tryGet(): TickLock | undefined {
    try {
      return this.get();
    } catch (error) {
      if (error instanceof BeatConfigurationError) return undefined;
      throw error;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const lock = this.lock;
    this.lock = null;
    await lock?.close().catch((error: unknown) => {
      new Logger('Beat').warn(
        `Closing the beat store failed: ${String(error)}`,
      );
    });
  }
}

function sameConfig(a: TickLockConfig, b: TickLockConfig): boolean {
  return (
    (a.lockUrl === undefined || a.lockUrl === b.lockUrl) &&
    a.keyPrefix === b.keyPrefix
  );
}

function describe(config: TickLockConfig): string {
  const url = config.lockUrl
    ? config.lockUrl.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@')
    : 'the broker';
  return `${url} (prefix ${config.keyPrefix})`;
}
