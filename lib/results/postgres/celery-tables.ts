import { PostgresResultError } from './errors';

/** Where the tables are: Celery's `database_table_schemas` and `database_table_names`. */
export interface CeleryTableNames {
  /** Schema of both tables and their sequences. Default: the search path (`public`). */
  schema?: string;
  /** Default 'celery_taskmeta'. */
  task?: string;
  /** Default 'celery_tasksetmeta'. */
  group?: string;
}

/** The qualified names the SQL uses, checked to be plain lower-case identifiers. */
export class CeleryTables {
  readonly task: string;
  readonly group: string;
  readonly taskSequence: string;
  readonly groupSequence: string;
  private readonly schema: string | undefined;

  constructor(names: CeleryTableNames = {}) {
    this.schema = names.schema && identifier(names.schema, 'schema');
    const qualify = (name: string) =>
      this.schema ? `${this.schema}.${name}` : name;
    this.task = qualify(
      identifier(names.task ?? 'celery_taskmeta', 'task table'),
    );
    this.group = qualify(
      identifier(names.group ?? 'celery_tasksetmeta', 'group table'),
    );
    // SQLAlchemy's Sequence('task_id_sequence'): same schema as the table, name fixed.
    this.taskSequence = qualify('task_id_sequence');
    this.groupSequence = qualify('taskset_id_sequence');
  }

  /**
   * The DDL SQLAlchemy emits for Celery's models on PostgreSQL (TaskExtended, so a Python
   * app with `result_extended` finds its columns), each statement `IF NOT EXISTS`.
   */
  createStatements(): string[] {
    return [
      ...(this.schema ? [`CREATE SCHEMA IF NOT EXISTS ${this.schema}`] : []),
      `CREATE SEQUENCE IF NOT EXISTS ${this.taskSequence}`,
      `CREATE TABLE IF NOT EXISTS ${this.task} (
        id INTEGER NOT NULL,
        task_id VARCHAR(155),
        status VARCHAR(50),
        result BYTEA,
        date_done TIMESTAMP WITHOUT TIME ZONE,
        traceback TEXT,
        name VARCHAR(155),
        args BYTEA,
        kwargs BYTEA,
        worker VARCHAR(155),
        retries INTEGER,
        queue VARCHAR(155),
        PRIMARY KEY (id),
        UNIQUE (task_id)
      )`,
      `CREATE SEQUENCE IF NOT EXISTS ${this.groupSequence}`,
      `CREATE TABLE IF NOT EXISTS ${this.group} (
        id INTEGER NOT NULL,
        taskset_id VARCHAR(155),
        result BYTEA,
        date_done TIMESTAMP WITHOUT TIME ZONE,
        PRIMARY KEY (id),
        UNIQUE (taskset_id)
      )`,
    ];
  }
}

function identifier(name: string, what: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name))
    throw new PostgresResultError(
      `the ${what} name ${JSON.stringify(name)} must be a lower-case SQL identifier ([a-z_][a-z0-9_]*)`,
    );
  return name;
}
