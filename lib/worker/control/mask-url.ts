/**
 * A broker or backend URL with its password replaced by `**`, as Celery's
 * `maybe_sanitize_url` shows it (`amqp://guest:**@host:5672//`, `redis://:**@host/0`).
 * Several comma-separated URLs (failover) are masked one by one.
 */
export function maskUrl(url: string): string {
  return url
    .split(/(\s*[,;]\s*)/)
    .map((part) =>
      part.replace(
        /^([a-z][a-z0-9+.-]*:\/\/)([^:@/]*):([^@/]*)@/i,
        (_, scheme: string, user: string) => `${scheme}${user}:**@`,
      ),
    )
    .join('');
}
