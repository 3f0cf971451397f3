import { PostgresResultError } from './errors';

/**
 * Celery's database backend URL, `db+postgresql://user:password@host:port/db`
 * (SQLAlchemy's form: `db+` then the dialect, optionally `+driver` such as `+psycopg2`),
 * as the `postgresql://` connection string node-postgres takes.
 */
export function postgresConnectionString(url: string): string {
  const match = /^db\+(postgres|postgresql)(\+[a-z0-9_]+)?:\/\//i.exec(url);
  if (!match)
    throw new PostgresResultError(
      `result backend ${url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@')}: expected db+postgresql://user:password@host:port/database`,
    );
  return `postgresql://${url.slice(match[0].length)}`;
}
