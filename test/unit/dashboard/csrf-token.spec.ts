import { CsrfToken } from '../../../lib/dashboard/csrf-token';

describe('CsrfToken', () => {
  it('matches only its own value', () => {
    const token = new CsrfToken();
    expect(token.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(token.matches(token.value)).toBe(true);
    expect(token.matches(token.value.slice(1))).toBe(false);
    const last = token.value.endsWith('A') ? 'B' : 'A';
    expect(token.matches(`${token.value.slice(0, -1)}${last}`)).toBe(false);
    expect(token.matches(new CsrfToken().value)).toBe(false);
  });

  it('refuses a missing or non-string token', () => {
    const token = new CsrfToken();
    expect(token.matches(undefined)).toBe(false);
    expect(token.matches('')).toBe(false);
    expect(token.matches([token.value])).toBe(false);
  });
});
