import { PublishedSchedule, ScheduleState, TickLock } from '../tick-lock';

/** The state of one in-process lock store, shared by every MemoryTickLock that names it. */
export class MemoryTickStore {
  readonly states = new Map<string, ScheduleState>();
  readonly catalogue = new Map<string, PublishedSchedule>();
  /** schedule -> tick -> claim */
  readonly claims = new Map<
    string,
    Map<number, { owner: string; expiresAt: number }>
  >();

  claimsOf(
    schedule: string,
  ): Map<number, { owner: string; expiresAt: number }> {
    let claims = this.claims.get(schedule);
    if (!claims) {
      claims = new Map();
      this.claims.set(schedule, claims);
    }
    return claims;
  }
}

/**
 * The tick lock of the memory broker (`memory://[name]`): one process, any number of
 * beats in it (apps that name the same store share it). Same contract as Redis's, so
 * the beat behaves alike on both. `now` is injectable for tests of claim expiry.
 */
export class MemoryTickLock implements TickLock {
  private static readonly stores = new Map<string, MemoryTickStore>();
  readonly kind = 'memory';

  constructor(
    private readonly store = new MemoryTickStore(),
    private readonly now: () => number = Date.now,
  ) {}

  static named(name: string, now: () => number = Date.now): MemoryTickLock {
    let store = this.stores.get(name);
    if (!store) {
      store = new MemoryTickStore();
      this.stores.set(name, store);
    }
    return new MemoryTickLock(store, now);
  }

  async state(schedule: string, baseline: number): Promise<ScheduleState> {
    let state = this.store.states.get(schedule);
    if (!state) {
      state = { handled: baseline, lastRun: null, paused: false };
      this.store.states.set(schedule, state);
    }
    return { ...state };
  }

  async peek(schedule: string): Promise<ScheduleState | undefined> {
    const state = this.store.states.get(schedule);
    return state && { ...state };
  }

  async claim(
    schedule: string,
    tick: number,
    owner: string,
    ttlMs: number,
  ): Promise<boolean> {
    const state = this.store.states.get(schedule);
    if (state && state.handled >= tick) return false;
    const claims = this.store.claimsOf(schedule);
    const existing = claims.get(tick);
    if (existing && existing.expiresAt > this.now()) return false;
    claims.set(tick, { owner, expiresAt: this.now() + ttlMs });
    return true;
  }

  async release(schedule: string, tick: number, owner: string): Promise<void> {
    const claims = this.store.claimsOf(schedule);
    if (claims.get(tick)?.owner === owner) claims.delete(tick);
  }

  async complete(schedule: string, tick: number, ran: boolean): Promise<void> {
    const state = this.store.states.get(schedule) ?? {
      handled: tick,
      lastRun: null,
      paused: false,
    };
    state.handled = Math.max(state.handled, tick);
    if (ran) state.lastRun = Math.max(state.lastRun ?? tick, tick);
    this.store.states.set(schedule, state);
    this.dropClaimsUpTo(schedule, state.handled);
  }

  async setPaused(
    schedule: string,
    paused: boolean,
    latestTick: number,
  ): Promise<void> {
    const state = this.store.states.get(schedule) ?? {
      handled: latestTick,
      lastRun: null,
      paused,
    };
    state.paused = paused;
    if (!paused) state.handled = Math.max(state.handled, latestTick);
    this.store.states.set(schedule, state);
  }

  async publishSchedules(entries: readonly PublishedSchedule[]): Promise<void> {
    for (const entry of entries)
      this.store.catalogue.set(entry.name, structuredClone(entry));
  }

  async unpublishSchedule(schedule: string): Promise<void> {
    this.store.catalogue.delete(schedule);
  }

  async publishedSchedules(): Promise<PublishedSchedule[]> {
    return [...this.store.catalogue.values()].map((entry) =>
      structuredClone(entry),
    );
  }

  async close(): Promise<void> {}

  /** Claims at or before `handled` can never succeed again: keep the map small. */
  private dropClaimsUpTo(schedule: string, handled: number): void {
    const claims = this.store.claimsOf(schedule);
    for (const tick of claims.keys()) if (tick <= handled) claims.delete(tick);
  }
}
