import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Records as JSON files, one per record, written atomically (write then rename):
 * the sample's stand-in for a database that the web and worker processes share.
 */
export class JsonFileStore<T extends { id: string }> {
  constructor(private readonly dir: string) {}

  async put(record: T): Promise<T> {
    await mkdir(this.dir, { recursive: true });
    const file = this.fileOf(record.id);
    const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temporary, JSON.stringify(record, null, 2));
    await rename(temporary, file);
    return record;
  }

  async get(id: string): Promise<T | undefined> {
    try {
      return JSON.parse(await readFile(this.fileOf(id), 'utf8')) as T;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async list(): Promise<T[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const ids = names
      .filter((name) => name.endsWith('.json'))
      .map((name) => name.slice(0, -5));
    const records: Array<T | undefined> = await Promise.all(
      ids.map((id) => this.get(id)),
    );
    return records.filter((record): record is T => record !== undefined);
  }

  private fileOf(id: string): string {
    if (!/^[\w-]+$/.test(id))
      throw new Error(`invalid record id ${JSON.stringify(id)}`);
    return join(this.dir, `${id}.json`);
  }
}
