/**
 * The Postgres result backend's configuration is wrong (a URL that is not
 * `db+postgresql://`, a table or schema name outside `[a-z_][a-z0-9_]*`), or a row
 * holds what it cannot read back as data.
 */
export class PostgresResultError extends Error {
  override readonly name = 'PostgresResultError';
}
