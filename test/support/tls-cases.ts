import { Injectable } from '@nestjs/common';
import { Task, TaskClient, TlsOptions } from '../../lib';
import { CollectingLogger } from './collecting-logger';
import { TestApps } from './test-apps';
import { TestCertificates, makeTestCertificates } from './test-certificates';
import { sleep } from './wait';

/** The task TLS specs send (`tls.add`), also what the refusal cases try to send. */
@Injectable()
export class TlsTasks {
  @Task('tls.add')
  add(a: number, b: number): number {
    return a + b;
  }
}

/** A server of the test's own that speaks only TLS. */
interface TlsServer {
  stop(): Promise<void>;
}

/** What a TLS spec reads once its server is up. */
export interface TlsSetUp<S extends TlsServer> {
  readonly certs: TestCertificates;
  readonly server: S;
  /** The client's options that trust the server and show the client certificate. */
  readonly trusted: TlsOptions;
}

/**
 * Makes certificates for the run and starts `start`'s server with them before all the
 * tests of the describe; stops it and removes the certificates after them.
 */
export function useTlsServer<S extends TlsServer>(
  start: (certs: TestCertificates) => Promise<S>,
  startTimeoutMs = 60_000,
): TlsSetUp<S> {
  let set: TlsSetUp<S> | undefined;
  let certs: TestCertificates | undefined;
  let server: S | undefined;
  beforeAll(async () => {
    certs = makeTestCertificates();
    server = await start(certs);
    const trusted = {
      ca: certs.ca,
      cert: certs.clientCert,
      key: certs.clientKey,
    };
    set = { certs, server, trusted };
  }, startTimeoutMs);
  afterAll(async () => {
    await server?.stop();
    certs?.remove();
  }, 60_000);
  const ready = (): TlsSetUp<S> => {
    if (!set) throw new Error('the TLS server is not started yet');
    return set;
  };
  return {
    get certs() {
      return ready().certs;
    },
    get server() {
      return ready().server;
    },
    get trusted() {
      return ready().trusted;
    },
  };
}

/**
 * The refusals every TLS broker makes the same way: a server certificate from a CA the
 * client was not given, and one not made for the host name asked for.
 */
export function tlsRefusalCases(options: {
  tls: TlsSetUp<TlsServer & { url: string }>;
  apps: TestApps;
  queue: string;
  /** The error class the broker's driver refuses with. */
  configurationError: new (...args: never[]) => Error;
  /** A host name the server's certificate is not for. */
  otherHost: string;
}): void {
  const { tls, apps, queue, configurationError, otherHost } = options;

  it('a server certificate from an unknown CA is refused with the configuration error, logged once at ERROR, not retried', async () => {
    const logger = new CollectingLogger();
    const app = await apps.open(
      {
        broker: tls.server.url,
        backend: 'memory://',
        defaultQueue: queue,
        brokerOptions: {
          tls: { cert: tls.certs.clientCert, key: tls.certs.clientKey },
        },
      },
      { logger },
    );
    // Refused with the configuration error itself, not a timeout after retries.
    const sent = app.get(TaskClient).send('tls.add', [1, 1]);
    await expect(sent).rejects.toBeInstanceOf(configurationError);
    await expect(sent).rejects.toThrow(
      /TLS certificate is not trusted \(SELF_SIGNED_CERT_IN_CHAIN.*give the CA that signed it as tls\.ca/,
    );
    await sleep(1500);
    expect(logger.lines.filter((line) => line.startsWith('warn:'))).toEqual([]);
    expect(
      logger.lines.filter((line) => /^error: .*not trusted/.test(line)),
    ).toHaveLength(1);
  });

  it('a certificate not made for the host name is refused', async () => {
    const app = await apps.open(
      {
        broker: tls.server.url,
        backend: 'memory://',
        defaultQueue: queue,
        brokerOptions: { tls: { ...tls.trusted, servername: otherHost } },
      },
      { logger: false },
    );
    const sent = app.get(TaskClient).send('tls.add', [1, 1]);
    await expect(sent).rejects.toBeInstanceOf(configurationError);
    await expect(sent).rejects.toThrow(
      new RegExp(
        `TLS certificate is not for this host name .*${otherHost.replace(/\./g, '\\.')}`,
      ),
    );
  });
}
