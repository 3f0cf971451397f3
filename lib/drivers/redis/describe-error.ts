/**
 * What went wrong with a Redis connection, in Celeriac's words rather than the client's
 * (`connect ECONNREFUSED ...`, `ERR ...`), with the code kept for searching. The callers
 * say which Redis; this says what happened to it.
 */
export function describeRedisError(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'Redis refuses connections: it is down or nothing listens on that port (ECONNREFUSED)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the Redis host name does not resolve (${code})`;
    case 'ETIMEDOUT':
      return 'connecting to Redis timed out (ETIMEDOUT)';
    case 'ECONNRESET':
    case 'EPIPE':
      return `Redis dropped the connection (${code})`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `the Redis host cannot be reached over the network (${code})`;
  }
  const text = error.message;
  if (/^LOADING/.test(text))
    return 'Redis is loading its data set and answers nothing yet (LOADING)';
  if (/^READONLY/.test(text))
    return 'this Redis is a read-only replica; point the URL at the primary (READONLY)';
  if (/^MISCONF/.test(text))
    return 'Redis cannot save to disk and refuses writes (MISCONF); see its log';
  if (/^OOM/.test(text))
    return 'Redis is out of memory (maxmemory) and refuses writes (OOM)';
  if (/Connection is closed/i.test(text)) return 'the connection is closed';
  return `Redis reported an error: ${text}`;
}
