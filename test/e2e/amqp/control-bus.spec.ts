import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  ControlMessage,
  revokeMessage,
} from '../../../lib/transports/control-bus';
import { pidboxQueueName } from '../../../lib/transports/amqp/pidbox';
import {
  AMQP_URL,
  deleteQueueAsAdmin,
  recordingLogger,
  useSharedBroker,
} from '../../support/amqp-broker';
import { amqpFixtures } from '../../support/amqp-fixtures';
import { repeatUntil, sleep, uniqueName, waitUntil } from '../../support/wait';

useSharedBroker();

const run = promisify(execFile);

/** Celery's own `app.control.revoke`, from Python, on the same broker. */
async function celeryRevoke(taskId: string): Promise<void> {
  const script = [
    'import sys',
    'from celery import Celery',
    'app = Celery(broker=sys.argv[1])',
    'app.control.revoke(sys.argv[2], terminate=True)',
  ].join('\n');
  await run('/usr/bin/python3', ['-c', script, AMQP_URL, taskId], {
    timeout: 30_000,
  });
}

describe('AMQP control bus (Celery pidbox)', () => {
  const fx = amqpFixtures();

  it('delivers a broadcast to every subscriber, and stops after close', async () => {
    const transport = await fx.open();
    const a: ControlMessage[] = [];
    const b: ControlMessage[] = [];
    const subA = await transport.subscribeControl((m) => a.push(m));
    const subB = await transport.subscribeControl((m) => b.push(m));
    await transport.broadcastControl(revokeMessage(['t-1'], false));
    await waitUntil(() => a.length === 1 && b.length === 1, 5_000, 'both');
    expect(a[0]).toMatchObject({
      method: 'revoke',
      arguments: { task_id: 't-1', terminate: false },
    });
    await subB.close();
    await transport.broadcastControl(revokeMessage(['t-2'], false));
    await waitUntil(() => a.length === 2, 5_000, 'the second to A');
    // B's copy, had it still been subscribed, would land within moments of A's.
    await sleep(200);
    expect(b).toHaveLength(1);
    await subA.close();
  });

  it("hears Celery's app.control.revoke", async () => {
    const transport = await fx.open();
    const heard: ControlMessage[] = [];
    const subscription = await transport.subscribeControl((m) => heard.push(m));
    await celeryRevoke('celery-revoked-id');
    await waitUntil(
      () => heard.some((m) => m.arguments.task_id === 'celery-revoked-id'),
      10_000,
      "Celery's revoke",
    );
    expect(
      heard.find((m) => m.arguments.task_id === 'celery-revoked-id'),
    ).toMatchObject({ method: 'revoke', arguments: { terminate: true } });
    await subscription.close();
  }, 40_000);

  it('hears broadcasts again after its pidbox queue is deleted while the connection lives', async () => {
    const logger = recordingLogger();
    const transport = await fx.open({ logger });
    const node = `${uniqueName('pidbox-deleted')}@test`;
    const heard: ControlMessage[] = [];
    const subscription = await transport.subscribeControl(
      (m) => heard.push(m),
      { node },
    );
    // The broker cancels the consumer; the connection stays up, so no reconnection helps.
    await deleteQueueAsAdmin(pidboxQueueName(node));
    await repeatUntil(
      () => transport.broadcastControl(revokeMessage(['after-delete'], false)),
      () => heard.some((m) => m.arguments.task_id === 'after-delete'),
      5_000,
      'a broadcast through the re-declared pidbox queue',
    );
    expect(logger.lines.filter((line) => line.startsWith('warn '))).toEqual([
      expect.stringContaining('control bus: channel closed'),
    ]);
    await subscription.close();
  });
});
