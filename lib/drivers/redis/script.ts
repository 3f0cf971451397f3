import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import { declaredKeyCount, readLua } from './lua-source';
import { explainFailure } from './refusal';

export type ScriptArg = string | number;

/**
 * One Lua script of ./lua, read on first use, run by its SHA (EVALSHA) and loaded with
 * EVAL when Redis does not know it yet (first use, or after a restart emptied the
 * script cache).
 */
export class RedisScript {
  readonly keyCount: number | undefined;
  private source: { lua: string; sha: string } | undefined;

  /** `name`: the file in ./lua without `.lua`, e.g. `fetch-n`, `ack-3`. */
  constructor(readonly name: string) {
    this.keyCount = declaredKeyCount(name);
  }

  get lua(): string {
    return this.load().lua;
  }

  get sha(): string {
    return this.load().sha;
  }

  async run(
    client: Redis,
    keys: readonly string[],
    args: readonly ScriptArg[],
  ): Promise<unknown> {
    if (this.keyCount !== undefined && keys.length !== this.keyCount) {
      throw new Error(
        `Lua script ${this.name} takes ${this.keyCount} keys, got ${keys.length}`,
      );
    }
    const { lua, sha } = this.load();
    try {
      return await client.evalsha(sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT'))
        throw explainFailure(client, error);
      return client
        .eval(lua, keys.length, ...keys, ...args)
        .catch((failure: unknown) => {
          throw explainFailure(client, failure);
        });
    }
  }

  private load(): { lua: string; sha: string } {
    if (!this.source) {
      const lua = readLua(this.name);
      this.source = { lua, sha: createHash('sha1').update(lua).digest('hex') };
    }
    return this.source;
  }
}
