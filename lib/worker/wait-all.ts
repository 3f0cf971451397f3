/** True when every promise of the set (which may grow meanwhile) settled within `ms`. */
export async function waitAll(
  promises: Set<Promise<void>>,
  ms: number,
): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>(
    (resolve) => (timer = setTimeout(() => resolve(false), ms)),
  );
  const all = (async () => {
    while (promises.size > 0) await Promise.allSettled([...promises]);
    return true as const;
  })();
  const finished = await Promise.race([all, timeout]);
  clearTimeout(timer);
  return finished;
}
