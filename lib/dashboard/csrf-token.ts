import { randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The dashboard's CSRF token: random per app process, written into the page (which
 * only a request that passed the guards can read) and required as the
 * `x-csrf-token` header of every action. A cross-site form can neither read it nor
 * set a header, so it cannot act with the user's credentials.
 */
export class CsrfToken {
  readonly value = randomBytes(32).toString('base64url');

  /** True when `given` is this token. */
  matches(given: unknown): boolean {
    if (typeof given !== 'string') return false;
    const expected = Buffer.from(this.value);
    const actual = Buffer.from(given);
    return (
      actual.length === expected.length && timingSafeEqual(actual, expected)
    );
  }
}
