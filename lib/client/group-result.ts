import { AsyncResult } from './async-result';
import { GetOptions, RevokeOptions } from './send-options';
import { ResultBackend } from '../results/result-backend';
import { CanvasError } from './errors';

/**
 * The results of a group, as Celery's GroupResult: its members in the group's order.
 * `save()` writes it as Celery does (`celery-taskset-meta-<id>`), so Python's
 * `GroupResult.restore(id)` reads it; `client.restoreGroup(id)` reads one back.
 */
export class GroupResult<R = unknown> {
  /** The result this group continues (a chain step before it), if known. */
  parent?: AsyncResult | GroupResult;

  constructor(
    readonly id: string,
    readonly results: AsyncResult<R>[],
    private readonly backend: ResultBackend,
  ) {}

  /** Waits for every member; resolves with their values in order. Rejects with the first failure (propagate). */
  async get(options: GetOptions = {}): Promise<R[]> {
    const values: R[] = [];
    for (const result of this.results) values.push(await result.get(options));
    return values;
  }

  /** True once every member is ready. */
  async ready(): Promise<boolean> {
    const ready = await Promise.all(
      this.results.map((result) => result.ready()),
    );
    return ready.every(Boolean);
  }

  /** How many members succeeded (Celery's `completed_count`). */
  async completedCount(): Promise<number> {
    const states = await Promise.all(
      this.results.map((result) => result.state()),
    );
    return states.filter((state) => state === 'SUCCESS').length;
  }

  /** Revokes every member, and the earlier steps of a member that is a chain. */
  async revoke(options: RevokeOptions = {}): Promise<void> {
    await Promise.all(
      this.results.map((result) =>
        result.parent ? result.revokeChain(options) : result.revoke(options),
      ),
    );
  }

  /** Celery's `as_tuple()`: `[[id, parent], [member tuples]]`. */
  asTuple(): unknown {
    return [
      [this.id, this.parent ? tupleOf(this.parent) : null],
      this.results.map((result) => tupleOf(result)),
    ];
  }

  /** Saves it as Celery's `GroupResult.save()` does. */
  async save(): Promise<void> {
    if (!this.backend.saveGroup)
      throw new CanvasError(
        `the ${this.backend.kind} result backend cannot save groups`,
      );
    await this.backend.saveGroup(this.id, this.asTuple());
  }

  /** Deletes the saved group (Celery's `GroupResult.delete()`). */
  async delete(): Promise<void> {
    await this.backend.forgetGroup?.(this.id);
  }
}

function tupleOf(result: AsyncResult | GroupResult): unknown {
  if (result instanceof GroupResult) return result.asTuple();
  return [[result.id, result.parent ? tupleOf(result.parent) : null], null];
}
