import 'reflect-metadata';
import { Kwargs, Task } from '../../../lib';
import { NotDataParameterError } from '../../../lib/registry/errors';
import {
  describeSignature,
  taskSignatureOf,
} from '../../../lib/registry/task-signature';

class User {
  id = 'u1';
}

interface Options {
  loud?: boolean;
}

class Tasks {
  @Task('users.ok')
  ok(
    id: string,
    count: number,
    flag: boolean,
    tags: string[],
    options: Options,
    when: Date,
    @Kwargs() rest: Record<string, unknown> = {},
  ): string {
    return JSON.stringify([id, count, flag, tags, options, when, rest]);
  }

  @Task('users.entity')
  entity(id: string, user: User): string {
    return id + user.id;
  }

  @Task('users.map')
  map(values: Map<string, number>): number {
    return values.size;
  }
}

describe('taskSignatureOf', () => {
  it('reads names, defaults, @Kwargs and Date parameters', () => {
    const signature = taskSignatureOf('users.ok', Tasks.prototype, 'ok');
    expect(signature.parameters?.map((p) => p.name)).toEqual([
      'id',
      'count',
      'flag',
      'tags',
      'options',
      'when',
      'rest',
    ]);
    expect(signature.parameters?.[5].date).toBe(true);
    expect(signature.parameters?.[6].kwargs).toBe(true);
    expect(signature).toMatchObject({
      minPositional: 6,
      maxPositional: 6,
      plain: false,
    });
    expect(describeSignature(signature)).toBe(
      'users.ok(id, count, flag, tags, options, when, **rest)',
    );
  });

  it('fails the bootstrap for a parameter declared as a class, with the argument guard advice', () => {
    const read = () =>
      taskSignatureOf('users.entity', Tasks.prototype, 'entity');
    expect(read).toThrow(NotDataParameterError);
    expect(read).toThrow(
      '@Task users.entity (Tasks.entity): parameter 2 is declared as class User, but task ' +
        "arguments are data (JSON), so it could never receive one. Pass the record's id " +
        'instead (for instance `user.id`) and let the task load it fresh.',
    );
    expect(() => taskSignatureOf('users.map', Tasks.prototype, 'map')).toThrow(
      'parameter 1 is declared as class Map',
    );
  });
});
