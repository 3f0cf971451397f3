import { Inject, Injectable } from '@nestjs/common';
import { TaskClient } from '../client/task-client.service';
import { DASHBOARD_HISTORY } from './dashboard.tokens';
import { TaskHistory } from './history/task-history';
import { TASK_EVENT_STATES, TaskRecord } from '../events/task-record';
import { TaskPage, TaskQuery } from './history/task-query';
import { RetryRefusedError } from './errors';
import { isRecord } from '../common/object-kind';

/** A task's page: what the history merged from its events and what the backend stored. */
export interface TaskDetail {
  id: string;
  /** The history's state when it knows the task, else the backend's. */
  state: string;
  record: TaskRecord | null;
  /** Everything the backend stored (with `extendedResults`: name, args, kwargs, worker...). */
  meta: Record<string, unknown> | null;
  /** The backend's custom state and its meta (`update_state(state='PROGRESS', meta=...)`). */
  progress: { state: string; meta: unknown } | null;
  children: string[];
}

const BUILT_IN_STATES = new Set<string>(TASK_EVENT_STATES);

/** The Tasks page: the history's pages, a task's detail, revoke and retry. */
@Injectable()
export class DashboardTasksService {
  constructor(
    @Inject(DASHBOARD_HISTORY) private readonly history: TaskHistory | null,
    private readonly client: TaskClient,
  ) {}

  get historyKind(): 'memory' | 'redis' | null {
    return this.history?.kind ?? null;
  }

  async list(query: TaskQuery): Promise<TaskPage> {
    return this.history ? this.history.query(query) : { total: 0, tasks: [] };
  }

  async facets(): Promise<{ names: string[]; workers: string[] }> {
    return this.history ? this.history.facets(200) : { names: [], workers: [] };
  }

  async detail(id: string): Promise<TaskDetail> {
    const [record, stored, children] = await Promise.all([
      this.history?.get(id) ?? null,
      this.client.result(id).meta(),
      this.history?.children(id, 100) ?? [],
    ]);
    const meta = stored ? { ...stored } : null;
    const backendState = meta?.status ?? 'PENDING';
    const progress =
      meta && !BUILT_IN_STATES.has(backendState)
        ? { state: backendState, meta: meta.result }
        : null;
    return {
      id,
      state:
        record && (backendState === 'PENDING' || progress)
          ? record.state
          : backendState,
      record,
      meta,
      progress,
      children,
    };
  }

  revoke(id: string, terminate: boolean): Promise<void> {
    return this.client.revoke(id, { terminate });
  }

  /**
   * Sends the task again with the same name, args, kwargs and queue (a new id), as
   * Flower's apply does. The values come from the backend's extended result: the
   * events carry only their Python repr.
   */
  async retry(id: string): Promise<string> {
    const meta = (await this.client.result(id).meta()) as Record<
      string,
      unknown
    > | null;
    const record = await this.history?.get(id);
    const name = typeof meta?.name === 'string' ? meta.name : null;
    const args = meta?.args;
    const kwargs = meta?.kwargs;
    if (!name || !Array.isArray(args) || !isRecord(kwargs)) {
      throw new RetryRefusedError(
        `task ${id}: its arguments are not in the result backend; retry needs extended results ` +
          `(extendedResults in Celeriac, result_extended in Celery) on the workers`,
      );
    }
    const queue =
      (typeof meta?.queue === 'string' && meta.queue) ||
      record?.queue ||
      undefined;
    const sent = await this.client.send(name, args, {
      kwargs,
      ...(queue ? { queue } : {}),
    });
    return sent.id;
  }
}
