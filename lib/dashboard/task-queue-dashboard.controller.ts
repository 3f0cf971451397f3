import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Header,
  Headers,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { CONTENT_SECURITY_POLICY, DashboardAssets } from './dashboard-assets';
import { DashboardDataService } from './dashboard-data.service';
import { DASHBOARD_OPTIONS } from './dashboard.tokens';
import { CsrfToken } from './csrf-token';
import { DashboardActions } from './dashboard-actions.service';
import { ResolvedDashboardOptions } from './resolve-dashboard-options';
import { WORKER_COMMANDS, WorkerCommand } from './worker-source';

/** The request and response of Express or Fastify, as far as this controller uses them. */
interface RequestLike {
  originalUrl?: string;
  url?: string;
}
interface ResponseLike {
  header(name: string, value: string): unknown;
}

/**
 * The dashboard's HTTP side: the page, its assets, its JSON and its actions (POSTs
 * that need the page's CSRF token). `TaskQueueDashboardModule.register` mounts a
 * subclass at the chosen path with the chosen guards.
 */
@Controller()
export class TaskQueueDashboardController {
  private readonly assets = new DashboardAssets();

  constructor(
    private readonly data: DashboardDataService,
    private readonly csrf: CsrfToken,
    private readonly actions: DashboardActions,
    @Inject(DASHBOARD_OPTIONS)
    private readonly options: ResolvedDashboardOptions,
  ) {}

  @Get()
  page(
    @Req() request: RequestLike,
    @Res({ passthrough: true }) response: ResponseLike,
  ): string {
    const url = request.originalUrl ?? request.url ?? '';
    const base = url.split(/[?#]/)[0].replace(/\/+$/, '');
    securityHeaders(response, 'text/html; charset=utf-8');
    response.header('Cache-Control', 'no-store');
    return this.assets.page({
      base,
      title: this.options.title,
      csrf: this.csrf.value,
    });
  }

  @Get('assets/:name')
  asset(
    @Param('name') name: string,
    @Res({ passthrough: true }) response: ResponseLike,
  ): string {
    const asset = this.assets.asset(name);
    if (!asset) throw new NotFoundException(`no dashboard asset "${name}"`);
    securityHeaders(response, asset.contentType);
    response.header('Cache-Control', 'no-cache');
    return asset.body.toString('utf8');
  }

  @Get('api/overview')
  @Header('Cache-Control', 'no-store')
  async overview() {
    const workers = await this.data.workers();
    const [queues, schedules] = await Promise.all([
      this.data.queues(workers),
      this.data.scheduleList(),
    ]);
    return {
      capabilities: this.data.capabilities(),
      workers,
      queues,
      schedules,
    };
  }

  @Get('api/workers')
  @Header('Cache-Control', 'no-store')
  async workers() {
    return { workers: await this.data.workers() };
  }

  @Post('api/workers/:node/:command')
  @HttpCode(200)
  async controlWorker(
    @Headers('x-csrf-token') token: unknown,
    @Param('node') node: string,
    @Param('command') command: string,
    @Body() body: { n?: unknown } | undefined,
  ) {
    this.actions.allow(token);
    const verb = command.replace(/-/g, '_') as WorkerCommand;
    if (!WORKER_COMMANDS.includes(verb)) {
      throw new NotFoundException(`no worker action "${command}"`);
    }
    const n = body?.n ?? 1;
    if (!Number.isInteger(n) || (n as number) < 1 || (n as number) > 1000) {
      throw new BadRequestException('n must be an integer from 1 to 1000');
    }
    const known = await this.data.workers();
    if (!known.some((worker) => worker.node === node)) {
      throw new NotFoundException(`no worker "${node}"`);
    }
    return { reply: await this.data.controlWorker(node, verb, n as number) };
  }

  @Get('api/queues')
  @Header('Cache-Control', 'no-store')
  async queues() {
    return {
      capabilities: this.data.capabilities(),
      queues: await this.data.queues(),
    };
  }

  @Get('api/queues/:queue/dead-letters')
  @Header('Cache-Control', 'no-store')
  async deadLetters(
    @Param('queue') queue: string,
    @Query('limit') limit?: string,
  ) {
    await this.knownQueue(queue);
    const count = limit === undefined ? 50 : Number(limit);
    if (!Number.isInteger(count) || count < 1 || count > 500) {
      throw new BadRequestException('limit must be an integer from 1 to 500');
    }
    return { deadLetters: await this.data.deadLetters(queue, count) };
  }

  @Post('api/queues/:queue/dead-letters/replay')
  @HttpCode(200)
  async replay(
    @Headers('x-csrf-token') token: unknown,
    @Param('queue') queue: string,
  ) {
    this.actions.allow(token);
    await this.knownQueue(queue);
    return { replayed: await this.data.replayDeadLetters(queue) };
  }

  @Post('api/queues/:queue/purge')
  @HttpCode(200)
  async purge(
    @Headers('x-csrf-token') token: unknown,
    @Param('queue') queue: string,
    @Body() body: { confirm?: unknown } | undefined,
  ) {
    this.actions.allow(token);
    await this.knownQueue(queue);
    if (!this.data.capabilities().purge) {
      throw new NotFoundException('purge is not available on this broker');
    }
    if (body?.confirm !== queue) {
      throw new BadRequestException(
        'a purge needs { "confirm": "<the queue name>" }',
      );
    }
    return { purged: await this.data.purge(queue) };
  }

  @Get('api/schedules')
  @Header('Cache-Control', 'no-store')
  async schedules() {
    return { schedules: await this.data.scheduleList() };
  }

  @Post('api/schedules/:name/:action')
  @HttpCode(200)
  async pauseSchedule(
    @Headers('x-csrf-token') token: unknown,
    @Param('name') name: string,
    @Param('action') action: string,
  ) {
    this.actions.allow(token);
    if (action !== 'pause' && action !== 'resume') {
      throw new NotFoundException(`no schedule action "${action}"`);
    }
    if (!this.data.hasSchedule(name)) {
      throw new NotFoundException(`no schedule "${name}"`);
    }
    await this.data.setSchedulePaused(name, action === 'pause');
    return { ok: true };
  }

  private async knownQueue(queue: string): Promise<void> {
    if (!(await this.data.queueNames()).includes(queue)) {
      throw new NotFoundException(`no queue "${queue}" is known here`);
    }
  }
}

function securityHeaders(response: ResponseLike, contentType: string): void {
  response.header('Content-Type', contentType);
  response.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  response.header('X-Content-Type-Options', 'nosniff');
  response.header('Referrer-Policy', 'same-origin');
  response.header('X-Frame-Options', 'DENY');
}
