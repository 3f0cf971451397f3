import { NodeInfo } from './control-command';

/** The `broker` part of Celery's `inspect stats` (kombu's `Connection.info()`). */
export function brokerStats(info: NodeInfo): Record<string, unknown> {
  let url: URL | null = null;
  try {
    url = new URL(info.brokerUrl);
  } catch {
    url = null;
  }
  const secure = url?.protocol === 'rediss:' || url?.protocol === 'amqps:';
  const path = url ? decodeURIComponent(url.pathname.replace(/^\//, '')) : '';
  return {
    hostname: url?.hostname ?? null,
    userid: url?.username ? decodeURIComponent(url.username) : null,
    virtual_host: info.transport === 'amqp' ? path || '/' : path || '0',
    port: url?.port ? Number(url.port) : null,
    insist: false,
    ssl: secure,
    transport: info.transport,
    connect_timeout: 4,
    transport_options: {},
    login_method: info.transport === 'amqp' ? 'PLAIN' : null,
    uri_prefix: null,
    heartbeat: info.transport === 'amqp' ? 60 : 0,
    failover_strategy: 'round-robin',
    alternates: [],
  };
}

/** Celery's `rusage` (getrusage of the process): times in seconds, sizes in KiB. */
export function rusage(): Record<string, number> {
  const usage = process.resourceUsage();
  return {
    utime: usage.userCPUTime / 1e6,
    stime: usage.systemCPUTime / 1e6,
    maxrss: usage.maxRSS,
    ixrss: usage.sharedMemorySize,
    idrss: usage.unsharedDataSize,
    isrss: usage.unsharedStackSize,
    minflt: usage.minorPageFault,
    majflt: usage.majorPageFault,
    nswap: usage.swappedOut,
    inblock: usage.fsRead,
    oublock: usage.fsWrite,
    msgsnd: usage.ipcSent,
    msgrcv: usage.ipcReceived,
    nsignals: usage.signalsCount,
    nvcsw: usage.voluntaryContextSwitches,
    nivcsw: usage.involuntaryContextSwitches,
  };
}
