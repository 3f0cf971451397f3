import { FleetControl } from '../client/fleet-control.service';
import { Duration } from '../common/duration';
import { WorkerCommand, WorkerSource } from './worker-source';
import { NodeReplySet, WorkerView, workerView } from './worker-view';

/** A worker silent this long is dropped from the list (before that: shown offline). */
const FORGET_AFTER_MS = 5 * 60_000;
/** Calls within this window share one round of replies (many tabs, one broadcast). */
const SHARE_FOR_MS = 2_000;

/**
 * The fleet read over remote control: `inspect stats`, `active` and `active_queues`
 * broadcast at once, so Python and Nest workers answer alike. A node that stops
 * answering stays listed as offline for five minutes.
 */
export class FleetWorkerSource implements WorkerSource {
  private readonly seen = new Map<string, WorkerView>();
  private pending: { at: number; views: Promise<WorkerView[]> } | null = null;

  constructor(
    private readonly fleet: FleetControl,
    private readonly timeout: Duration,
  ) {}

  workers(): Promise<WorkerView[]> {
    const now = Date.now();
    if (this.pending && now - this.pending.at < SHARE_FOR_MS) {
      return this.pending.views;
    }
    const views = this.ask();
    this.pending = { at: now, views };
    views.catch(() => (this.pending = null));
    return views;
  }

  async control(
    node: string,
    command: WorkerCommand,
    n?: number,
  ): Promise<unknown> {
    const args = command === 'shutdown' ? {} : { n: n ?? 1 };
    const replies = await this.fleet.broadcast(command, args, {
      destination: [node],
      timeout: this.timeout,
    });
    this.pending = null;
    return replies[node] ?? null;
  }

  private async ask(): Promise<WorkerView[]> {
    const options = { timeout: this.timeout };
    const [stats, active, activeQueues] = await Promise.all([
      this.fleet.inspect('stats', {}, options),
      this.fleet.inspect('active', {}, options),
      this.fleet.inspect('active_queues', {}, options),
    ]);
    const now = new Date();
    const replies = new Map<string, NodeReplySet>();
    const add = (key: keyof NodeReplySet, byNode: Record<string, unknown>) => {
      for (const [node, reply] of Object.entries(byNode)) {
        replies.set(node, { ...replies.get(node), [key]: reply });
      }
    };
    add('stats', stats);
    add('active', active);
    add('activeQueues', activeQueues);
    for (const [node, set] of replies) {
      this.seen.set(node, workerView(node, set, now));
    }
    for (const [node, view] of this.seen) {
      if (replies.has(node)) continue;
      if (now.getTime() - Date.parse(view.lastSeen) > FORGET_AFTER_MS) {
        this.seen.delete(node);
      } else {
        this.seen.set(node, { ...view, online: false, active: null });
      }
    }
    return [...this.seen.values()].sort(
      (a, b) =>
        Number(b.online) - Number(a.online) || a.node.localeCompare(b.node),
    );
  }
}
