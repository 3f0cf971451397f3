/** Why a task cannot be sent again. */
export class RetryRefusedError extends Error {
  override readonly name = 'RetryRefusedError';
}
