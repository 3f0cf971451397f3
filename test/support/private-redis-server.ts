import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { TestCertificates } from './test-certificates';
import { waitUntil } from './wait';

/**
 * A redis-server of the test's own on a free port, which the test may kill and restart.
 * With appendfsync always every acknowledged write survives a SIGKILL, so "published"
 * means "stored" across the restart; files go to a temporary directory removed on stop.
 */
export class PrivateRedisServer {
  private process: ChildProcess | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), 'celeriac-redis-'));

  private constructor(
    readonly port: number,
    private readonly tls?: TestCertificates,
  ) {}

  static async start(): Promise<PrivateRedisServer> {
    const server = new PrivateRedisServer(await freePort());
    await server.restart();
    return server;
  }

  /**
   * A server that speaks only TLS, with `certs.serverCert`, and asks clients for a
   * certificate signed by `certs.ca` (redis-server's default `tls-auth-clients yes`).
   */
  static async startTls(certs: TestCertificates): Promise<PrivateRedisServer> {
    const server = new PrivateRedisServer(await freePort(), certs);
    await server.restart();
    return server;
  }

  /** `redis://127.0.0.1:<port>`, or `rediss://localhost:<port>` for a TLS server. */
  get url(): string {
    return this.tls
      ? `rediss://localhost:${this.port}`
      : `redis://127.0.0.1:${this.port}`;
  }

  async restart(): Promise<void> {
    this.process = spawn(
      'redis-server',
      [
        ...this.listenArguments(),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
      ],
      { stdio: 'ignore' },
    );
    const probe = new Redis({
      port: this.port,
      ...(this.tls && {
        host: 'localhost',
        tls: {
          ca: readFileSync(this.tls.ca),
          cert: readFileSync(this.tls.clientCert),
          key: readFileSync(this.tls.clientKey),
        },
      }),
      lazyConnect: true,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
      // A failed probe's socket is closed already: do not keep a 2 s timer for it.
      disconnectTimeout: 10,
    });
    // Refused until the server listens: the rejected connect() says so, not ioredis on stderr.
    probe.on('error', () => undefined);
    await waitUntil(
      async () => {
        try {
          if (probe.status !== 'ready') await probe.connect();
          return (await probe.ping()) === 'PONG';
        } catch {
          probe.disconnect();
          return false;
        }
      },
      10_000,
      'redis-server to accept connections',
    );
    probe.disconnect();
  }

  private listenArguments(): string[] {
    if (!this.tls) return ['--port', String(this.port)];
    return [
      '--port',
      '0',
      '--tls-port',
      String(this.port),
      '--tls-cert-file',
      this.tls.serverCert,
      '--tls-key-file',
      this.tls.serverKey,
      '--tls-ca-cert-file',
      this.tls.ca,
    ];
  }

  /** SIGKILL: no shutdown, no save beyond what the AOF already holds. */
  async kill(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A TCP port nothing listens on right now, on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
