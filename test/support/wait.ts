/** Resolves when `predicate` holds, polling every few ms; rejects after `timeoutMs`. */
export async function waitUntil(
  predicate: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A name no other test uses: tests never see each other's messages. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * Runs `attempt` every `everyMs` until `predicate` holds; rejects after `timeoutMs`.
 * For what is lost when sent too early (a message before its queue is back).
 */
export async function repeatUntil(
  attempt: () => Promise<void>,
  predicate: () => boolean,
  timeoutMs = 5000,
  what = 'condition',
  everyMs = 200,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await attempt();
    await waitUntil(predicate, everyMs).catch(() => undefined);
  }
}
