/** Node's codes for a server certificate that does not check out. */
const CERTIFICATE_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'HOSTNAME_MISMATCH',
]);

/**
 * Why a TLS handshake failed for good, or undefined when `error` is not a TLS
 * failure. A certificate that does not check out, or a name it does not carry, will not
 * change on a reconnect: both are configuration errors, not outages.
 */
export function tlsRefusal(error: Error): string | undefined {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return `the server's TLS certificate is not for this host name (${error.message}); connect by a name the certificate carries or set tls.servername`;
  if (CERTIFICATE_CODES.has(code))
    return `its TLS certificate is not trusted (${code}: ${error.message}); give the CA that signed it as tls.ca`;
  if (/wrong version number|packet length too long/i.test(error.message))
    return `it does not speak TLS on that port (${error.message}); use the server's TLS port, or a URL without TLS`;
  return undefined;
}
