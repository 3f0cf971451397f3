import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { waitUntil } from './wait';
import { freePort } from './private-redis-server';
import { TestCertificates } from './test-certificates';

export const MASTER_NAME = 'celeriac-test';

/**
 * Redis Sentinel on local ports, started by the test: a master, one replica and three
 * `redis-sentinel`s (quorum 2, a master down after 1 s). Nothing persists: a killed
 * server comes back empty and the sentinels make it a replica of the new master. With
 * `certs`, every server and sentinel speaks only TLS and asks for a client certificate
 * (replication and the sentinels' own connections too).
 */
export class SentinelFleet {
  private readonly dir = mkdtempSync(join(tmpdir(), 'celeriac-sentinel-'));
  private readonly servers = new Map<number, ChildProcess>();
  private readonly sentinels: ChildProcess[] = [];

  private constructor(
    readonly masterPort: number,
    readonly replicaPort: number,
    readonly sentinelPorts: number[],
    private readonly certs?: TestCertificates,
  ) {}

  static async start(certs?: TestCertificates): Promise<SentinelFleet> {
    const ports: number[] = [];
    for (let i = 0; i < 5; i++) ports.push(await freePort());
    const [master, replica, ...sentinels] = ports;
    const fleet = new SentinelFleet(master, replica, sentinels, certs);
    await fleet.startServer(master);
    await fleet.startServer(replica, master);
    for (const port of sentinels) fleet.startSentinel(port, master);
    await fleet.waitUntilWatched();
    return fleet;
  }

  /** kombu's URL: every sentinel, `;`-joined, with the master's name. */
  url(db = 0): string {
    return (
      this.sentinelPorts
        .map((port) => `sentinel://127.0.0.1:${port}/${db}`)
        .join(';') + `?master_name=${MASTER_NAME}`
    );
  }

  /** The port the sentinels name as master now. */
  async currentMaster(): Promise<number> {
    const sentinel = new Redis({
      port: this.sentinelPorts[0],
      lazyConnect: true,
      ...this.clientTls(),
    });
    sentinel.on('error', () => undefined); // the command rejects
    try {
      const [, port] = (await sentinel.call(
        'SENTINEL',
        'get-master-addr-by-name',
        MASTER_NAME,
      )) as [string, string];
      return Number(port);
    } finally {
      sentinel.disconnect();
    }
  }

  /** SIGKILL the server on `port`. */
  async kill(port: number): Promise<void> {
    const child = this.servers.get(port);
    this.servers.delete(port);
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** Starts the server on `port` again, empty; the sentinels make it a replica. */
  async revive(port: number): Promise<void> {
    await this.startServer(port);
  }

  async stop(): Promise<void> {
    for (const child of [...this.sentinels, ...this.servers.values()]) {
      if (child.exitCode !== null) continue;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async startServer(port: number, replicaOf?: number): Promise<void> {
    const args = [...this.listenArguments(port), '--bind', '127.0.0.1'];
    args.push('--save', '', '--appendonly', 'no', '--dir', this.dir);
    if (replicaOf) args.push('--replicaof', '127.0.0.1', String(replicaOf));
    this.servers.set(port, spawn('redis-server', args, { stdio: 'ignore' }));
    await waitUntil(
      async () => (await this.ask(port, 'PING')) === 'PONG',
      10_000,
      `redis-server on ${port}`,
    );
  }

  private startSentinel(port: number, master: number): void {
    const config = join(this.dir, `sentinel-${port}.conf`);
    writeFileSync(
      config,
      [
        ...configLines(this.listenArguments(port)),
        'bind 127.0.0.1',
        `dir ${this.dir}`,
        `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${master} 2`,
        `sentinel down-after-milliseconds ${MASTER_NAME} 1000`,
        `sentinel failover-timeout ${MASTER_NAME} 5000`,
        `sentinel parallel-syncs ${MASTER_NAME} 1`,
        '',
      ].join('\n'),
    );
    this.sentinels.push(spawn('redis-sentinel', [config], { stdio: 'ignore' }));
  }

  /** Every sentinel knows the replica and the two other sentinels. */
  private async waitUntilWatched(): Promise<void> {
    await waitUntil(
      async () => {
        for (const port of this.sentinelPorts) {
          const master = (await this.ask(
            port,
            'SENTINEL',
            'master',
            MASTER_NAME,
          )) as string[] | undefined;
          if (!master) return false;
          const field = (name: string) => master[master.indexOf(name) + 1];
          if (field('num-slaves') !== '1') return false;
          if (field('num-other-sentinels') !== '2') return false;
        }
        return true;
      },
      30_000,
      'the sentinels to see the replica and each other',
    );
  }

  /** redis-server's flags (a sentinel.conf takes the same, without `--`). */
  private listenArguments(port: number): string[] {
    const { certs } = this;
    if (!certs) return ['--port', String(port)];
    return [
      ...['--port', '0', '--tls-port', String(port)],
      ...[
        '--tls-cert-file',
        certs.serverCert,
        '--tls-key-file',
        certs.serverKey,
      ],
      ...['--tls-ca-cert-file', certs.ca, '--tls-replication', 'yes'],
      // Replicas and sentinels connect out as clients: with the client certificate.
      ...['--tls-client-cert-file', certs.clientCert],
      ...['--tls-client-key-file', certs.clientKey],
    ];
  }

  /** ioredis' options for a client of the fleet: TLS with the client certificate. */
  private clientTls(): { tls?: object } {
    const { certs } = this;
    if (!certs) return {};
    return {
      tls: {
        ca: readFileSync(certs.ca),
        cert: readFileSync(certs.clientCert),
        key: readFileSync(certs.clientKey),
      },
    };
  }

  private async ask(port: number, ...command: string[]): Promise<unknown> {
    const client = new Redis({
      port,
      ...this.clientTls(),
      lazyConnect: true,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
      disconnectTimeout: 10,
    });
    client.on('error', () => undefined); // a server not up yet: undefined below
    try {
      await client.connect();
      return await client.call(command[0], ...command.slice(1));
    } catch {
      return undefined;
    } finally {
      client.disconnect();
    }
  }
}

/** `--flag value` pairs as configuration-file lines: `flag value`. */
function configLines(flags: string[]): string[] {
  const lines: string[] = [];
  for (let i = 0; i < flags.length; i += 2)
    lines.push(`${flags[i].replace(/^--/, '')} ${flags[i + 1]}`);
  return lines;
}
