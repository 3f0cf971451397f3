/**
 * A control subscription refused because another live subscriber already holds that
 * node name (on AMQP its `<node>.celery.pidbox` queue is exclusive to that node).
 */
export class NodeNameInUseError extends Error {
  override readonly name = 'NodeNameInUseError';
  constructor(readonly node: string) {
    super(
      `the node name "${node}" is in use by another worker: give each worker its own name ` +
        `(the worker option nodeName, e.g. 'worker1@%h', or '%p@%h' for one per process)`,
    );
  }
}
