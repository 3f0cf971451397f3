/**
 * The task ids this worker must not run, each kept until its expiry; at most
 * `maxSize` (Celery keeps 50 000 for 3 h), the oldest forgotten first.
 * Looked up for every delivery, so it is a plain Map.
 */
export class RevokedTasks {
  private readonly ids = new Map<string, number>();

  constructor(private readonly maxSize = 50_000) {}

  get size(): number {
    return this.ids.size;
  }

  add(taskId: string, expiresAt: number): void {
    this.ids.delete(taskId); // re-inserted last: the oldest stay first
    this.ids.set(taskId, expiresAt);
    if (this.ids.size > this.maxSize) {
      this.ids.delete(this.ids.keys().next().value as string);
    }
  }

  /** The live ids with their expiry (ms since the epoch), oldest first. */
  entries(): Map<string, number> {
    const now = Date.now();
    for (const [id, expiresAt] of this.ids)
      if (expiresAt <= now) this.ids.delete(id);
    return new Map(this.ids);
  }

  has(taskId: string): boolean {
    if (this.ids.size === 0) return false;
    const expiresAt = this.ids.get(taskId);
    if (expiresAt === undefined) return false;
    if (expiresAt > Date.now()) return true;
    this.ids.delete(taskId);
    return false;
  }
}
