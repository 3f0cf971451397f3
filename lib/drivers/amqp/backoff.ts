/** Exponential backoff with full jitter in its upper half: `min · 2^attempt`, capped at `max`. */
export function backoffDelay(
  attempt: number,
  minMs = 100,
  maxMs = 5000,
): number {
  const ceiling = Math.min(maxMs, minMs * 2 ** Math.min(attempt, 20));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}
