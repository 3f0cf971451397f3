import { Client } from 'pg';
import { uniqueName } from './wait';

/** The local PostgreSQL of the tests (trust authentication, database `test`). */
export const POSTGRES_URL =
  process.env.POSTGRES_URL ?? 'db+postgresql://postgres@127.0.0.1:5432/test';

/** A schema name no other test uses (lower case, as the backend requires). */
export function uniqueSchema(label: string): string {
  return uniqueName(`celeriac_${label}`).replace(/-/g, '_').toLowerCase();
}

/** Runs SQL on the test database with a connection of its own. */
export async function sql<T = Record<string, unknown>>(
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new Client({
    connectionString: POSTGRES_URL.replace(/^db\+/, ''),
  });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Drops a test's schema with its tables and sequences. */
export async function dropSchema(schema: string): Promise<void> {
  await sql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
}
