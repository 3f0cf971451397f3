import { ResolvedOptions } from '../options/resolve-options';
import { ResultBackend } from '../results/result-backend';
import { hasConnectionCheck } from '../transports/connection-check';
import { Transport } from '../transports/transport';
import { createResultBackend } from './connections';

/**
 * The result backend, made at boot; with `failFast`, only once the broker and the
 * backend took their connections. A failed boot closes what it opened, or its reconnect
 * timers would keep the process alive.
 */
export async function createCheckedResultBackend(
  options: ResolvedOptions,
  transport: Transport,
): Promise<ResultBackend> {
  let backend: ResultBackend | undefined;
  try {
    backend = await createResultBackend(options, transport);
    const waitMs = options.failFastMs;
    if (waitMs !== null) {
      const both: unknown[] = [transport, backend];
      await Promise.all(
        both
          .filter(hasConnectionCheck)
          .map((each) => each.checkConnection(waitMs)),
      );
    }
    return backend;
  } catch (error) {
    await Promise.allSettled([transport.close(), backend?.close()]);
    throw error;
  }
}
