import { Logger } from '@nestjs/common';
import { CELERIAC_VERSION } from '../common/version';
import {
  WorkerActivity,
  WorkerEvents,
  WorkerEventsConfig,
} from '../events/worker-events';
import { TaskLifecycle } from '../lifecycle/task-lifecycle.service';
import { ControlBus } from '../transports/control-bus';
import { ControlTarget, NodeInfo } from './control/control-command';
import { ControlNode } from './control/control-node';
import { formatNodeName } from './control/node-name';

/**
 * A worker as the fleet sees it: its node name, the remote control it answers
 * (a ControlNode, when the broker has a control bus) and the events it sends
 * (WorkerEvents, when the broker has an event bus).
 */
export class WorkerNode {
  private controlNode: ControlNode | null = null;
  private workerEvents: WorkerEvents | null = null;

  constructor(
    private readonly deps: {
      controlBus: ControlBus | null;
      events: WorkerEventsConfig | null;
      /** The `nodeName` option; undefined for the default. */
      nodeName: string | undefined;
      transportKind: string;
      nodeInfo: Omit<NodeInfo, 'startedAt'> | undefined;
      target: ControlTarget;
      lifecycle: TaskLifecycle;
      activity: WorkerActivity;
      logger: Logger;
    },
  ) {}

  /** Its Celery node name (`celeriac@host`); empty without a control bus. */
  get node(): string {
    return this.controlNode?.node ?? '';
  }

  /** The events switch; null without events. */
  get events(): WorkerEvents | null {
    return this.workerEvents;
  }

  /** Takes a node name (answering remote control under it), starts the events; resolves with the name. */
  async start(): Promise<string> {
    const { controlBus, nodeInfo, logger } = this.deps;
    let name: string;
    if (controlBus) {
      this.controlNode = new ControlNode({
        bus: controlBus,
        nodeName: this.deps.nodeName,
        target: this.deps.target,
        info: {
          transport: this.deps.transportKind,
          brokerUrl: '',
          backendUrl: '',
          settings: {},
          softwareVersion: CELERIAC_VERSION,
          ...nodeInfo,
          startedAt: Date.now(),
        },
        logger,
      });
      name = await this.controlNode.start();
    } else {
      name = formatNodeName(this.deps.nodeName);
    }
    if (this.deps.events) {
      this.workerEvents = new WorkerEvents(this.deps.events, {
        node: name,
        lifecycle: this.deps.lifecycle,
        activity: this.deps.activity,
        logger,
      });
      this.workerEvents.start();
    }
    return name;
  }

  /** Sends worker-offline and stops answering remote control. */
  async stop(): Promise<void> {
    await this.workerEvents?.stop();
    await this.controlNode?.stop();
  }
}
