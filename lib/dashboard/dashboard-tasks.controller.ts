import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Get,
  Header,
  Headers,
  HttpCode,
  Param,
  Post,
  Query,
  Sse,
} from '@nestjs/common';
import { Observable, map } from 'rxjs';
import { DashboardActions } from './dashboard-actions.service';
import { DashboardTasksService } from './dashboard-tasks.service';
import { RetryRefusedError } from './errors';
import { TASK_EVENT_STATES, TaskEventState } from '../events/task-record';
import { TaskQuery } from './history/task-query';
import { DashboardLiveService } from './live/dashboard-live.service';

const TASK_ID = /^[A-Za-z0-9._:-]{1,200}$/;
/** Deepest page a query may ask for. */
const MAX_OFFSET = 1_000_000;

/** A server-sent event as Nest's `@Sse` writes it. */
interface ServerSentEvent {
  type: string;
  data: unknown;
}

/**
 * The Tasks page's HTTP side (the history, a task, revoke, retry) and the live stream
 * every page listens to. Mounted at the dashboard's path behind its guards.
 */
@Controller()
export class DashboardTasksController {
  constructor(
    private readonly tasks: DashboardTasksService,
    private readonly live: DashboardLiveService,
    private readonly actions: DashboardActions,
  ) {}

  @Get('api/tasks')
  @Header('Cache-Control', 'no-store')
  async list(@Query() query: Record<string, unknown>) {
    const page = await this.tasks.list(taskQuery(query));
    return {
      history: this.tasks.historyKind,
      taskEventsSeen: this.live.taskEventsSeen,
      ...page,
    };
  }

  @Get('api/task-facets')
  @Header('Cache-Control', 'no-store')
  facets() {
    return this.tasks.facets();
  }

  @Get('api/throughput')
  @Header('Cache-Control', 'no-store')
  throughput() {
    return { series: this.live.throughput.series() };
  }

  @Sse('api/stream')
  stream(): Observable<ServerSentEvent> {
    return this.live
      .stream()
      .pipe(map((message) => ({ type: message.type, data: message.data })));
  }

  @Get('api/tasks/:id')
  @Header('Cache-Control', 'no-store')
  task(@Param('id') id: string) {
    return this.tasks.detail(taskId(id));
  }

  @Post('api/tasks/:id/revoke')
  @HttpCode(200)
  async revoke(
    @Headers('x-csrf-token') token: unknown,
    @Param('id') id: string,
    @Body() body: { terminate?: unknown } | undefined,
  ) {
    this.actions.allow(token);
    await this.tasks.revoke(taskId(id), body?.terminate === true);
    return { ok: true };
  }

  @Post('api/tasks/:id/retry')
  @HttpCode(200)
  async retry(
    @Headers('x-csrf-token') token: unknown,
    @Param('id') id: string,
  ) {
    this.actions.allow(token);
    try {
      return { id: await this.tasks.retry(taskId(id)) };
    } catch (error) {
      if (error instanceof RetryRefusedError)
        throw new ConflictException(error.message);
      throw error;
    }
  }
}

export function taskId(id: string): string {
  if (!TASK_ID.test(id)) throw new BadRequestException(`bad task id "${id}"`);
  return id;
}

/** The list's query string, checked: a bad value is a 400 that says which. */
function taskQuery(query: Record<string, unknown>): TaskQuery {
  const text = (key: string): string | undefined => {
    const value = query[key];
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string' || value.length > 200)
      throw new BadRequestException(
        `${key} must be a text of at most 200 characters`,
      );
    return value;
  };
  const number = (
    key: string,
    min: number,
    max: number,
  ): number | undefined => {
    const value = text(key);
    if (value === undefined) return undefined;
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < min || parsed > max)
      throw new BadRequestException(
        `${key} must be a number from ${min} to ${max}`,
      );
    return parsed;
  };
  const state = text('state');
  if (
    state !== undefined &&
    !TASK_EVENT_STATES.includes(state as TaskEventState)
  )
    throw new BadRequestException(
      `state must be one of ${TASK_EVENT_STATES.join(', ')}`,
    );
  const offset = number('offset', 0, MAX_OFFSET) ?? 0;
  const limit = number('limit', 1, 200) ?? 50;
  if (!Number.isInteger(offset) || !Number.isInteger(limit))
    throw new BadRequestException('offset and limit must be integers');
  return {
    name: text('name'),
    state: state as TaskEventState | undefined,
    worker: text('worker'),
    from: number('from', 0, 1e11),
    to: number('to', 0, 1e11),
    offset,
    limit,
  };
}
