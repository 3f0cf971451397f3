import { TickLock } from '../locks/tick-lock';

/** Beat's options from the module's `beat` option, resolved (ResolvedBeatOptions). */
export const BEAT_OPTIONS = Symbol('celeriac:beat-options');

/** Makes the tick lock store for `lockUrl` (module/ picks the class by URL scheme). */
export const TICK_LOCK_FACTORY = Symbol('celeriac:tick-lock-factory');

export interface TickLockConfig {
  /** Explicit store URL; undefined for the broker's default. */
  lockUrl: string | undefined;
  keyPrefix: string;
}

export type TickLockFactory = (config: TickLockConfig) => TickLock;
