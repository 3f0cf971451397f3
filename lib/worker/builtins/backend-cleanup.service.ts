import { Inject, Injectable } from '@nestjs/common';
import { Task } from '../../decorators/task.decorator';
import { ResolvedOptions } from '../../options/resolve-options';
import { RESOLVED_OPTIONS, RESULT_BACKEND } from '../../options/tokens';
import { BACKEND_CLEANUP_TASK } from '../../protocol';
import { ResultBackend } from '../../results/result-backend';

/**
 * Celery's built-in `celery.backend_cleanup`, registered in every app as Celery registers
 * it: a worker deletes the results older than the module's `resultExpires` from a backend
 * that keeps them until then (PostgreSQL), whoever sent the task (a Python beat or a Nest
 * one). On other backends it does nothing, as Celery's.
 */
@Injectable()
export class BackendCleanupService {
  constructor(
    @Inject(RESULT_BACKEND) private readonly backend: ResultBackend,
    @Inject(RESOLVED_OPTIONS) private readonly options: ResolvedOptions,
  ) {}

  @Task({ name: BACKEND_CLEANUP_TASK })
  async cleanup(): Promise<null> {
    await this.backend.cleanup?.(this.options.resultExpiresSeconds);
    return null;
  }
}
