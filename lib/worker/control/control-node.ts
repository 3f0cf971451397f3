import { Logger } from '@nestjs/common';
import { ControlBus, ControlSubscription } from '../../transports/control-bus';
import { NodeNameInUseError } from '../../transports/errors';
import { ControlTarget, NodeInfo } from './control-command';
import { ControlDispatcher } from './control-dispatcher';
import { fallbackNodeName, formatNodeName } from './node-name';

/** How long a worker waits for another node to answer to its name before taking it. */
const NAME_CHECK_MS = 300;
/** Default names tried (`celeriac@h`, `celeriac.<pid>@h`, `celeriac.<pid>.2@h`...). */
const MAX_ATTEMPTS = 10;

/**
 * A worker's Celery node: it picks its name (the `nodeName` option, or the default
 * made unique on this broker), listens on the pidbox under it and answers the
 * commands of `celery inspect` / `celery control` and `FleetControl`.
 *
 * A name is taken when another node answers a `ping` sent to it (every broker), or
 * when the broker refuses the node's queue (RabbitMQ: `<node>.celery.pidbox` is
 * exclusive). A name set in the options that is taken fails the start
 * (NodeNameInUseError); the default name moves on to the next one with a warning.
 * Two workers starting at the same instant on Redis can still both take the default
 * name (nothing on Redis is exclusive): Celery's client then warns of a duplicate.
 */
export class ControlNode {
  private subscription: ControlSubscription | null = null;
  private dispatcher: ControlDispatcher | null = null;
  /** The node's Lamport clock: moved forward by each command it handles. */
  private readonly clock = {
    value: 0,
    forward(): number {
      return ++this.value;
    },
  };
  private nodeName = '';

  constructor(
    private readonly deps: {
      bus: ControlBus;
      /** The `nodeName` option; undefined for the default. */
      nodeName: string | undefined;
      target: ControlTarget;
      info: NodeInfo;
      logger: Logger;
    },
  ) {}

  /** The node name, once started. */
  get node(): string {
    return this.nodeName;
  }

  /** Picks the name, subscribes; resolves with the name. */
  async start(): Promise<string> {
    const { nodeName, logger } = this.deps;
    const explicit = nodeName !== undefined;
    const base = formatNodeName(nodeName);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const name = explicit ? base : fallbackNodeName(base, attempt);
      try {
        if (await this.answers(name)) throw new NodeNameInUseError(name);
        await this.listen(name);
        if (attempt > 0)
          logger.warn(
            `The node name ${base} is taken by another worker: this one is ${name} (set nodeName to choose)`,
          );
        return name;
      } catch (error) {
        if (!(error instanceof NodeNameInUseError) || explicit) throw error;
      }
    }
    throw new NodeNameInUseError(fallbackNodeName(base, MAX_ATTEMPTS - 1));
  }

  async stop(): Promise<void> {
    await this.subscription?.close().catch(() => undefined);
    this.subscription = null;
  }

  private async listen(name: string): Promise<void> {
    const { bus, target, info, logger } = this.deps;
    const { clock } = this;
    this.nodeName = name;
    this.dispatcher = new ControlDispatcher(
      { node: name, target, info, clock, logger },
      (replyTo, ticket, reply) => bus.replyControl(replyTo, ticket, reply),
    );
    const dispatcher = this.dispatcher;
    this.subscription = await bus.subscribeControl(
      (message) => void dispatcher.handle(message),
      { node: name },
    );
  }

  /** True when another node answers a ping sent to `name` alone. */
  private async answers(name: string): Promise<boolean> {
    try {
      const replies = await this.deps.bus.callControl(
        {
          method: 'ping',
          arguments: {},
          destination: [name],
          pattern: null,
          matcher: null,
        },
        { timeoutMs: NAME_CHECK_MS, limit: 1 },
      );
      return replies.some((reply) => Object.hasOwn(reply, name));
    } catch (error) {
      this.deps.logger.warn(
        `Could not check that the node name ${name} is free: ${String(error)}`,
      );
      return false;
    }
  }
}
