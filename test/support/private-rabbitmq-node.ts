import { ChildProcess, execFile, spawn } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './private-redis-server';
import { TestCertificates } from './test-certificates';
import { sleep } from './wait';

const run = promisify(execFile);

/**
 * A second RabbitMQ node of the test's own, beside the machine's: its own node name,
 * distribution port, config, data and log directory (removed on stop), listening only
 * for AMQPS on a free port, with `certs.serverCert`, and asking clients for a
 * certificate signed by `certs.ca`. Starting one takes some seconds.
 */
export class PrivateRabbitMqNode {
  private constructor(
    readonly port: number,
    private readonly node: string,
    private readonly dir: string,
    private readonly process: ChildProcess,
  ) {}

  static async startTls(certs: TestCertificates): Promise<PrivateRabbitMqNode> {
    const [port, distPort] = [await freePort(), await freePort()];
    const node = `celeriac-tls-${process.pid}-${port}@localhost`;
    const dir = mkdtempSync(join(tmpdir(), 'celeriac-rabbit-'));
    // The server runs as the rabbitmq user: it must write here.
    for (const sub of ['mnesia', 'log']) mkdirSync(join(dir, sub));
    for (const path of [dir, join(dir, 'mnesia'), join(dir, 'log')])
      chmodSync(path, 0o777);
    writeFileSync(
      join(dir, 'rabbitmq.conf'),
      [
        'listeners.tcp = none',
        `listeners.ssl.default = 127.0.0.1:${port}`,
        `ssl_options.cacertfile = ${certs.ca}`,
        `ssl_options.certfile = ${certs.serverCert}`,
        `ssl_options.keyfile = ${certs.serverKey}`,
        'ssl_options.verify = verify_peer',
        'ssl_options.fail_if_no_peer_cert = true',
        '',
      ].join('\n'),
    );
    const child = spawn('rabbitmq-server', [], {
      env: {
        ...process.env,
        RABBITMQ_NODENAME: node,
        RABBITMQ_DIST_PORT: String(distPort),
        RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
        RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
        RABBITMQ_LOG_BASE: join(dir, 'log'),
        RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
        RABBITMQ_PID_FILE: join(dir, 'rabbitmq.pid'),
      },
      stdio: 'ignore',
      detached: true,
    });
    const started = new PrivateRabbitMqNode(port, node, dir, child);
    try {
      await started.awaitStartup(90_000);
    } catch (error) {
      await started.stop();
      throw error;
    }
    return started;
  }

  /** Until the node runs: it is not known to epmd for its first seconds. */
  private async awaitStartup(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await run('rabbitmqctl', ['-n', this.node, 'await_startup']);
        return;
      } catch (error) {
        if (this.process.exitCode !== null || Date.now() > deadline)
          throw new Error(
            `the RabbitMQ node ${this.node} did not start (see ${this.dir}/log): ${(error as Error).message}`,
          );
        await sleep(1000);
      }
    }
  }

  /** `amqps://guest:guest@localhost:<port>`. */
  get url(): string {
    return `amqps://guest:guest@localhost:${this.port}`;
  }

  async stop(): Promise<void> {
    try {
      await run('rabbitmqctl', ['-n', this.node, 'stop']);
    } catch {
      // Not up (yet): kill what runs, by the pids it and our child have.
      kill(Number(readIfThere(join(this.dir, 'rabbitmq.pid'))));
      if (this.process.exitCode === null) kill(-(this.process.pid ?? 0));
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** SIGKILL to a pid (negative: a process group), if it is one and still runs. */
function kill(pid: number): void {
  if (!Number.isInteger(pid) || pid === 0) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Gone already.
  }
}

function readIfThere(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}
