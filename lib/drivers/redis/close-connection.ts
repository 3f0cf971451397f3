import type Redis from 'ioredis';
import { waitUntilReady } from './wait-ready';
import { settledWithin } from '../../common/settled-within';

/** QUIT when connected (bounded), else drop the connection: never waits for an outage. */
export async function closeConnection(
  client: Redis,
  waitMs = 1000,
): Promise<void> {
  await settleHandshake(client, waitMs);
  if (client.status === 'ready') {
    await settledWithin(client.quit(), waitMs);
  }
  disconnectUnlessEnded(client);
}

/** Drops the connection without QUIT (a blocking command may hold it). */
export async function dropConnection(
  client: Redis,
  waitMs = 1000,
): Promise<void> {
  await settleHandshake(client, waitMs);
  disconnectUnlessEnded(client);
}

/**
 * ioredis's disconnect() on a client whose socket already closed (ended, or waiting to
 * reconnect) arms a 2 s timer that waits for a 'close' event that never comes, and holds
 * the process meanwhile; only then would it reject the commands still queued. So its
 * connector is told to do nothing, and the client is ended here as ioredis's own close
 * handler ends it: status `end`, every queued command rejected.
 */
function disconnectUnlessEnded(client: Redis): void {
  if (client.status === 'end') return;
  const { stream } = client as unknown as { stream?: { destroyed?: boolean } };
  if (!stream?.destroyed) {
    client.disconnect();
    return;
  }
  quietConnector(client);
  client.disconnect();
  const internals = client as unknown as {
    setStatus(status: string): void;
    flushQueue(error: Error): void;
  };
  internals.setStatus('end');
  internals.flushQueue(new Error('Connection is closed.'));
}

/** Makes the client's connector's disconnect() a no-op: for a client closed for good. */
export function quietConnector(client: Redis): void {
  const { connector } = client as unknown as {
    connector?: { disconnect(): void };
  };
  const doNothing = () => undefined;
  if (connector) connector.disconnect = doNothing;
}

/**
 * Lets a connection that is opening finish its handshake first (one round trip, bounded).
 * ioredis 5 disconnects a client dropped during its ready check a second time when that
 * check fails, after the socket closed: that disconnect arms a 2 s timer nothing clears,
 * and the process lingers on after the app closed.
 */
async function settleHandshake(client: Redis, waitMs: number): Promise<void> {
  if (client.status === 'connecting' || client.status === 'connect')
    await waitUntilReady(client, waitMs);
}
