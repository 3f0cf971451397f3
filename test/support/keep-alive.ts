/** Timers and sockets that keep the event loop alive (unref'd ones are not counted). */
export function keepAliveResources(): number {
  return process
    .getActiveResourcesInfo()
    .filter(
      (resource) => resource === 'Timeout' || resource === 'TCPSocketWrap',
    ).length;
}
