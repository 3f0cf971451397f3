import {
  AnyFunction,
  parameterList,
} from '../../../lib/registry/parameter-list';

class Methods {
  add(a: number, b: number): number {
    return a + b;
  }
  greet(name: string, punctuation = '.'): string {
    return name + punctuation;
  }
  async later(
    id: string,
    options: { at?: string } = { at: ')' },
  ): Promise<string> {
    return Promise.resolve(id + String(options.at));
  }
  area({ width, height }: { width: number; height: number }): number {
    return width * height;
  }
  pair([a, b]: [number, number] = [1, 2]): number {
    return a + b;
  }
  echo(first: unknown, ...rest: unknown[]): unknown[] {
    return [first, ...rest];
  }
  none(): number {
    return 1;
  }
  tricky(
    a = '(,)',
    /* b, */ b = `x${'}'}y`,
    // c,
    c = (x: number) => x,
  ): string {
    return a + b + String(c(1));
  }
}

const names = (fn: AnyFunction) =>
  parameterList(fn)?.map(({ name, optional, rest }) => ({
    name,
    optional,
    rest,
  }));

/* eslint-disable @typescript-eslint/unbound-method -- only their source is read */
describe('parameterList', () => {
  it('reads names, defaults and rest parameters of class methods', () => {
    const { prototype } = Methods;
    expect(names(prototype.add)).toEqual([
      { name: 'a', optional: false, rest: false },
      { name: 'b', optional: false, rest: false },
    ]);
    expect(names(prototype.greet)).toEqual([
      { name: 'name', optional: false, rest: false },
      { name: 'punctuation', optional: true, rest: false },
    ]);
    expect(names(prototype.later)?.map((p) => p.name)).toEqual([
      'id',
      'options',
    ]);
    expect(names(prototype.echo)).toEqual([
      { name: 'first', optional: false, rest: false },
      { name: 'rest', optional: false, rest: true },
    ]);
    expect(names(prototype.none)).toEqual([]);
  });

  it('a destructuring pattern has no name; a default after it makes it optional', () => {
    expect(names(Methods.prototype.area)).toEqual([
      { name: null, optional: false, rest: false },
    ]);
    expect(names(Methods.prototype.pair)).toEqual([
      { name: null, optional: true, rest: false },
    ]);
  });

  it('skips strings, template literals, comments and nested brackets', () => {
    expect(names(Methods.prototype.tricky)).toEqual([
      { name: 'a', optional: true, rest: false },
      { name: 'b', optional: true, rest: false },
      { name: 'c', optional: true, rest: false },
    ]);
  });

  it('reads functions and arrows too', () => {
    expect(
      names(function named(x: number, y = 2) {
        return x + y;
      }),
    ).toEqual([
      { name: 'x', optional: false, rest: false },
      { name: 'y', optional: true, rest: false },
    ]);
    expect(names((x: number) => x)).toEqual([
      { name: 'x', optional: false, rest: false },
    ]);
    expect(names(async (value: unknown) => value)?.[0]?.name).toBe('value');
  });

  it('a bound or native function has no readable list', () => {
    expect(parameterList(Methods.prototype.add.bind(new Methods()))).toBeNull();
    expect(parameterList(Math.max)).toBeNull();
  });
});
