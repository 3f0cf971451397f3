import { randomUUID } from 'node:crypto';
import { CallControlOptions, ControlReply } from './control-bus';

/** kombu's reply exchange of the `celery` mailbox (direct, not durable). */
export const REPLY_EXCHANGE = 'reply.celery.pidbox';

/** A fresh kombu-like `oid` and its reply queue name, `<oid>.reply.celery.pidbox`. */
export function newReplyQueue(): { oid: string; queue: string } {
  const oid = randomUUID();
  return { oid, queue: `${oid}.${REPLY_EXCHANGE}` };
}

/**
 * Gathers the replies of one `callControl` until `timeoutMs` passed or `limit` came,
 * keeping only those with its ticket (kombu's `_collect`). Every broker's callControl
 * feeds it what its reply queue receives.
 */
export class ReplyCollector {
  private readonly replies: ControlReply[] = [];
  private timer: NodeJS.Timeout | undefined;
  private finish: (() => void) | undefined;
  readonly done: Promise<ControlReply[]>;

  constructor(
    readonly ticket: string,
    private readonly options: CallControlOptions,
  ) {
    this.done = new Promise((resolve) => {
      const finish = () => {
        clearTimeout(this.timer);
        this.finish = undefined;
        resolve(this.replies);
      };
      this.finish = finish;
    });
  }

  /** Starts the clock: call once the command is published. */
  start(): void {
    if (!this.finish) return;
    this.timer = setTimeout(() => this.finish?.(), this.options.timeoutMs);
    if (this.options.limit !== undefined && this.options.limit <= 0)
      this.finish();
  }

  get finished(): boolean {
    return this.finish === undefined;
  }

  /** A reply body with its `ticket` header; another ticket's reply is ignored. */
  add(body: unknown, ticket: unknown): void {
    if (!this.finish) return;
    if (ticket !== undefined && ticket !== null && ticket !== this.ticket)
      return;
    if (body === null || typeof body !== 'object' || Array.isArray(body))
      return;
    this.replies.push(body as ControlReply);
    const { limit } = this.options;
    if (limit !== undefined && this.replies.length >= limit) this.finish();
  }
}
