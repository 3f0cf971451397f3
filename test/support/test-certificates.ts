import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PEM files made for one test run: a CA, a server certificate it signed, a client's. */
export interface TestCertificates {
  dir: string;
  /** The CA certificate. */
  ca: string;
  /** For `localhost` and `127.0.0.1`, signed by the CA. */
  serverCert: string;
  serverKey: string;
  /** A client certificate (mutual TLS), signed by the CA. */
  clientCert: string;
  clientKey: string;
  /** Removes the files. */
  remove(): void;
}

/**
 * A throwaway CA and the certificates it signs, made with the openssl CLI in a
 * temporary directory readable by other users (RabbitMQ runs as its own user).
 */
export function makeTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'celeriac-tls-'));
  chmodSync(dir, 0o755);
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) =>
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=celeriac test CA',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
  );
  const sign = (name: string, subject: string, extensions: string) => {
    writeFileSync(file(`${name}.ext`), extensions);
    openssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      subject,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
    );
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-out',
      `${name}.pem`,
      '-extfile',
      `${name}.ext`,
    );
    chmodSync(file(`${name}.key`), 0o644);
  };
  sign(
    'server',
    '/CN=localhost',
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n',
  );
  sign('client', '/CN=celeriac test client', 'extendedKeyUsage=clientAuth\n');
  return {
    dir,
    ca: file('ca.pem'),
    serverCert: file('server.pem'),
    serverKey: file('server.key'),
    clientCert: file('client.pem'),
    clientKey: file('client.key'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
