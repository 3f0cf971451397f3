import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import { explainFailure } from './refusal';

export type ScriptArg = string | number;

/**
 * One Lua script, run by its SHA (EVALSHA) and loaded with EVAL when Redis does not
 * know it yet (first use, or after a restart emptied the script cache).
 */
export class RedisScript {
  readonly sha: string;

  constructor(
    readonly name: string,
    readonly lua: string,
  ) {
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  async run(
    client: Redis,
    keys: readonly string[],
    args: readonly ScriptArg[],
  ): Promise<unknown> {
    try {
      return await client.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT'))
        throw explainFailure(client, error);
      return client
        .eval(this.lua, keys.length, ...keys, ...args)
        .catch((failure: unknown) => {
          throw explainFailure(client, failure);
        });
    }
  }
}
