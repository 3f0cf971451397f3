/**
 * Optional on a Transport or a ResultBackend: connects now and says whether the server
 * took the connection. `failFast` runs it at boot, so an app whose broker is unreachable
 * or misconfigured does not start.
 */
export interface ConnectionCheck {
  /**
   * Resolves once connected. Rejects at once on a configuration error (a wrong password,
   * a db or vhost the server does not have), and after `waitMs` while unreachable.
   */
  checkConnection(waitMs: number): Promise<void>;
}

export function hasConnectionCheck(value: unknown): value is ConnectionCheck {
  return (
    typeof (value as Partial<ConnectionCheck> | null)?.checkConnection ===
    'function'
  );
}
