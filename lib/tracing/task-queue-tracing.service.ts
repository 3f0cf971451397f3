import {
  Inject,
  Injectable,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import type * as Otel from '@opentelemetry/api';
import type { Tracer } from '@opentelemetry/api';
import { loadOptionalPeer } from '../common/optional-peer';
import { TaskLifecycle } from '../lifecycle/task-lifecycle.service';
import { ResolvedOptions } from '../options/resolve-options';
import { RESOLVED_OPTIONS, TRANSPORT } from '../options/tokens';
import { Transport } from '../transports/transport';
import { TaskTracing } from './task-tracing';

/** The instrumentation scope name of Celeriac's spans. */
export const TRACER_NAME = 'celeriac';

/**
 * Adds TaskTracing to the task lifecycle when the module option `tracing` is on (and
 * loads `@opentelemetry/api` only then). The app brings the SDK and registers it.
 */
@Injectable()
export class TaskQueueTracing implements OnModuleInit, OnApplicationShutdown {
  private stop: (() => void) | null = null;

  constructor(
    @Inject(RESOLVED_OPTIONS) private readonly options: ResolvedOptions,
    @Inject(TRANSPORT) private readonly transport: Transport,
    private readonly lifecycle: TaskLifecycle,
  ) {}

  onModuleInit(): void {
    const options = this.options.tracing;
    if (!options) return;
    const api = loadOptionalPeer<typeof Otel>('@opentelemetry/api', 'tracing');
    const provider = options.tracerProvider ?? api.trace;
    const tracer = provider.getTracer(TRACER_NAME) as Tracer;
    this.stop = this.lifecycle.observe(
      new TaskTracing(api, tracer, this.transport.kind),
    );
  }

  onApplicationShutdown(): void {
    this.stop?.();
    this.stop = null;
  }
}
