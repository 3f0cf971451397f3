import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRedisUrl } from '../../../../lib/drivers/redis';
import { tlsConnectOptions, tlsRefusal } from '../../../../lib/drivers/tls';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const SOURCE = {
  ca: 'tls.ca',
  cert: 'tls.cert',
  key: 'tls.key',
  servername: 'tls.servername',
  rejectUnauthorized: 'tls.rejectUnauthorized',
};

describe('tlsConnectOptions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'celeriac-tls-unit-'));
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, PEM);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('checks the certificate by default, and names the host unless it is an IP', () => {
    expect(tlsConnectOptions({}, 'cache', SOURCE)).toEqual({
      rejectUnauthorized: true,
      servername: 'cache',
    });
    expect(tlsConnectOptions({}, '127.0.0.1', SOURCE)).toEqual({
      rejectUnauthorized: true,
    });
    expect(
      tlsConnectOptions({ servername: 'redis.internal' }, '10.0.0.1', SOURCE),
    ).toMatchObject({ servername: 'redis.internal' });
  });

  it('takes PEM text as it is and reads paths', () => {
    expect(
      tlsConnectOptions({ ca: [PEM, caFile] }, 'cache', SOURCE).ca,
    ).toEqual([PEM, PEM]);
  });

  it('names the setting whose file cannot be read, and a cert without its key', () => {
    expect(() =>
      tlsConnectOptions({ ca: join(dir, 'missing.pem') }, 'cache', SOURCE),
    ).toThrow(/tls\.ca is neither PEM text nor a readable file: ENOENT/);
    expect(() => tlsConnectOptions({ cert: PEM }, 'cache', SOURCE)).toThrow(
      /tls\.cert and tls\.key go together/,
    );
  });
});

describe('rediss:// TLS settings', () => {
  it("reads Celery's URL parameters; the app's options win", () => {
    const tls = parseRedisUrl(
      `rediss://cache?ssl_cert_reqs=CERT_REQUIRED&ssl_ca_certs=${encodeURIComponent(PEM)}`,
    ).tls;
    expect(tls).toMatchObject({ ca: [PEM], rejectUnauthorized: true });
    expect(
      parseRedisUrl('rediss://cache?ssl_cert_reqs=none', undefined, {
        rejectUnauthorized: true,
      }).tls,
    ).toMatchObject({ rejectUnauthorized: true });
    expect(
      parseRedisUrl('rediss://cache?ssl_cert_reqs=optional').tls,
    ).toMatchObject({ rejectUnauthorized: true });
  });

  it('refuses an unknown ssl_cert_reqs and TLS options on redis://', () => {
    expect(() => parseRedisUrl('rediss://cache?ssl_cert_reqs=maybe')).toThrow(
      /ssl_cert_reqs must be required, optional or none/,
    );
    expect(() => parseRedisUrl('redis://cache', undefined, {})).toThrow(
      /a URL without TLS: use rediss:\/\//,
    );
  });
});

describe('tlsRefusal', () => {
  const coded = (code: string, message: string) =>
    Object.assign(new Error(message), { code });

  it('tells an untrusted certificate and a wrong host name from an outage', () => {
    expect(
      tlsRefusal(
        coded(
          'SELF_SIGNED_CERT_IN_CHAIN',
          'self-signed certificate in certificate chain',
        ),
      ),
    ).toMatch(/not trusted .*tls\.ca/);
    expect(
      tlsRefusal(
        coded(
          'ERR_TLS_CERT_ALTNAME_INVALID',
          "Host: x. is not in the cert's altnames",
        ),
      ),
    ).toMatch(/not for this host name/);
    expect(
      tlsRefusal(coded('ECONNREFUSED', 'connect ECONNREFUSED')),
    ).toBeUndefined();
  });
});
