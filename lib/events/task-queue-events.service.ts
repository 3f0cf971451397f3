import {
  Inject,
  Injectable,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { TaskLifecycle } from '../lifecycle/task-lifecycle.service';
import { ResolvedOptions } from '../options/resolve-options';
import { EVENT_BUS, RESOLVED_OPTIONS } from '../options/tokens';
import { EventBus } from '../transports/event-bus';
import { EventDispatcher } from './event-dispatcher';
import { SentEventObserver } from './sent-event-observer';

/**
 * The producer's side of events: `task-sent` for every message sent from this process
 * when the module option `events.sent` is on (Celery's `task_send_sent_event`), under
 * this process's origin name (`gen<pid>@<host>`). Off, nothing is added.
 */
@Injectable()
export class TaskQueueEvents implements OnModuleInit, OnApplicationShutdown {
  private stop: (() => void) | null = null;
  private dispatcher: EventDispatcher | null = null;

  constructor(
    @Inject(RESOLVED_OPTIONS) private readonly options: ResolvedOptions,
    @Inject(EVENT_BUS) private readonly bus: EventBus | null,
    private readonly lifecycle: TaskLifecycle,
  ) {}

  onModuleInit(): void {
    if (!this.options.events.sent || !this.bus) return;
    this.dispatcher = new EventDispatcher(
      this.bus,
      this.options.origin,
      new Logger('TaskQueueEvents'),
    );
    this.stop = this.lifecycle.observe(new SentEventObserver(this.dispatcher));
  }

  async onApplicationShutdown(): Promise<void> {
    this.stop?.();
    this.stop = null;
    await this.dispatcher?.drain();
  }
}
