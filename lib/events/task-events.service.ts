import {
  Inject,
  Injectable,
  Logger,
  OnApplicationShutdown,
} from '@nestjs/common';
import {
  MonoTypeOperatorFunction,
  Observable,
  OperatorFunction,
  Subscription,
  filter,
  share,
} from 'rxjs';
import { CONTROL_BUS, EVENT_BUS } from '../options/tokens';
import { ControlBus } from '../transports/control-bus';
import { EventBus, EventSubscription } from '../transports/event-bus';
import {
  CeleryEvent,
  CeleryEventType,
  EventOfType,
  CeleryTaskEvent,
  CeleryWorkerEvent,
  isTaskEvent,
  isWorkerEvent,
} from './celery-event';
import { FleetState } from './fleet-state';
import { eventsOfBody, parseEvent } from './parse-event';

/**
 * Celery's events of the whole fleet, Python workers' and Nest workers' alike, as an
 * RxJS stream: Celery's `EventReceiver` for Nest. `events$` listens on the broker
 * while someone subscribes (one listener however many subscribers) and, when it
 * starts, asks every worker for a heartbeat (as Celery's receiver does) so workers
 * show up at once. `fleet()` keeps a `FleetState` (workers alive, tasks by state).
 *
 * Events are sent by workers only when asked (module option `events`, `celery worker
 * -E`, or `enable_events`); worker heartbeats always. A message that is not an event
 * is skipped and logged (the first one only): it never ends the stream.
 */
@Injectable()
export class TaskEvents implements OnApplicationShutdown {
  /** Every event, parsed, in the order the broker delivered them. */
  readonly events$: Observable<CeleryEvent>;
  private readonly logger = new Logger('TaskEvents');
  private malformed = 0;
  private state: FleetState | null = null;
  private stateSubscription: Subscription | null = null;

  constructor(
    @Inject(EVENT_BUS) private readonly bus: EventBus | null,
    @Inject(CONTROL_BUS) private readonly control: ControlBus | null,
  ) {
    this.events$ = new Observable<CeleryEvent>((subscriber) => {
      const bus = this.bus;
      if (!bus) {
        subscriber.error(
          new Error(
            'TaskEvents: this broker carries no events (use redis://, amqp:// or memory://)',
          ),
        );
        return;
      }
      let subscription: EventSubscription | null = null;
      let closed = false;
      bus
        .subscribeEvents((delivery) => {
          if (!delivery.ok) return this.skip(delivery.reason);
          for (const raw of eventsOfBody(delivery.body)) {
            const event = parseEvent(raw);
            if (typeof event === 'string') this.skip(event);
            else {
              event.local_received = Date.now() / 1000;
              subscriber.next(event);
            }
          }
        })
        .then(
          (opened) => {
            if (closed) return void opened.close();
            subscription = opened;
            this.wakeUpWorkers();
          },
          (error: unknown) => subscriber.error(error),
        );
      return () => {
        closed = true;
        void subscription?.close();
      };
    }).pipe(share());
  }

  /** Task events only (`task-*`). */
  get tasks$(): Observable<CeleryTaskEvent> {
    return this.events$.pipe(filter(isTaskEvent));
  }

  /** Worker events only (`worker-online`, `worker-heartbeat`, `worker-offline`). */
  get workers$(): Observable<CeleryWorkerEvent> {
    return this.events$.pipe(filter(isWorkerEvent));
  }

  /** Events of these types: `events.ofType('task-failed')`, typed. */
  ofType<T extends CeleryEventType>(...types: T[]): Observable<EventOfType<T>> {
    return this.events$.pipe(ofType(...types));
  }

  /**
   * The fleet as events tell it, kept up to date from the first call until the app
   * shuts down; at most `maxTasks` tasks are kept (the first call decides).
   */
  fleet(maxTasks = 10_000): FleetState {
    if (!this.state) {
      const state = new FleetState(maxTasks);
      this.state = state;
      this.stateSubscription = this.events$.subscribe({
        next: (event) => state.apply(event),
        error: (error: unknown) =>
          this.logger.error(`Fleet state stopped: ${String(error)}`),
      });
    }
    return this.state;
  }

  /** How many messages or events were skipped because they were not events. */
  get skipped(): number {
    return this.malformed;
  }

  onApplicationShutdown(): void {
    this.stateSubscription?.unsubscribe();
    this.stateSubscription = null;
  }

  private skip(reason: string): void {
    this.malformed++;
    if (this.malformed === 1)
      this.logger.warn(
        `Skipped a message on the event exchange that is not a Celery event (${reason}); further ones are skipped without a word`,
      );
  }

  /** Celery's receiver broadcasts `heartbeat` so every worker tells itself now. */
  private wakeUpWorkers(): void {
    this.control
      ?.broadcastControl({
        method: 'heartbeat',
        arguments: {},
        destination: null,
        pattern: null,
        matcher: null,
      })
      .catch(() => undefined);
  }
}

/** An RxJS operator keeping events of these types, typed: `pipe(ofType('task-succeeded'))`. */
export function ofType<T extends CeleryEventType>(
  ...types: T[]
): OperatorFunction<CeleryEvent, EventOfType<T>> {
  const wanted = new Set<string>(types);
  return filter((event): event is EventOfType<T> => wanted.has(event.type));
}

/** An RxJS operator keeping the events of one node (`hostname`). */
export function fromNode(
  hostname: string,
): MonoTypeOperatorFunction<CeleryEvent> {
  return filter((event) => event.hostname === hostname);
}

/** An RxJS operator keeping the events of one task (`uuid`). */
export function ofTask(
  taskId: string,
): OperatorFunction<CeleryEvent, CeleryTaskEvent> {
  return filter(
    (event): event is CeleryTaskEvent =>
      isTaskEvent(event) && event.uuid === taskId,
  );
}
