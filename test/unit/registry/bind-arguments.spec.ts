import 'reflect-metadata';
import { Arg, Kwargs, Task } from '../../../lib';
import { bindArguments } from '../../../lib/registry/bind-arguments';
import { taskSignatureOf } from '../../../lib/registry/task-signature';

interface Dims {
  width: number;
  height: number;
}

class Tasks {
  @Task('math.add')
  add(a: number, b: number): number {
    return a + b;
  }

  @Task('users.greet')
  greet(name: string, punctuation = '.'): string {
    return name + punctuation;
  }

  @Task('geometry.area')
  area(@Kwargs() { width, height }: Dims): number {
    return width * height;
  }

  @Task('users.notify')
  notify(@Arg('user_id') userId: string, @Kwargs() options: object): string {
    return userId + JSON.stringify(options);
  }

  @Task('items.echo')
  echo(@Kwargs() options: object, ...items: unknown[]): unknown[] {
    return [options, ...items];
  }

  @Task('events.at')
  at(when: Date, label = ''): string {
    return when.toISOString() + label;
  }

  @Task('shapes.named')
  named(@Arg('dims') { width }: Dims): number {
    return width;
  }
}

const signature = (method: keyof Tasks, name = `tasks.${method}`) =>
  taskSignatureOf(name, Tasks.prototype, method);
const bind = (
  method: keyof Tasks,
  args: unknown[],
  kwargs: Record<string, unknown> = {},
) => bindArguments(signature(method, taskName(method)), args, kwargs);
const taskName = (method: keyof Tasks) =>
  ({
    add: 'math.add',
    greet: 'users.greet',
    area: 'geometry.area',
    notify: 'users.notify',
    echo: 'items.echo',
    at: 'events.at',
    named: 'shapes.named',
  })[method];

function refusal(run: () => unknown): TypeError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).name).toBe('TypeError');
    return error as TypeError;
  }
  throw new Error('expected a TypeError, nothing was thrown');
}

describe('bindArguments', () => {
  it('passes positional arguments as they are', () => {
    const args = [2, 3];
    expect(bind('add', args)).toBe(args);
  });

  it('maps kwargs to parameters by name, alone or after positional arguments', () => {
    expect(bind('add', [], { a: 2, b: 3 })).toEqual([2, 3]);
    expect(bind('add', [], { b: 3, a: 2 })).toEqual([2, 3]);
    expect(bind('add', [2], { b: 3 })).toEqual([2, 3]);
    expect(bind('greet', ['Ada'], { punctuation: '!' })).toEqual(['Ada', '!']);
  });

  it('leaves out a parameter nobody gave, so its default applies', () => {
    expect(bind('greet', ['Ada'])).toEqual(['Ada']);
    expect(bind('greet', [], { name: 'Ada' })).toEqual(['Ada']);
  });

  it('gives the @Kwargs() parameter the kwargs no other parameter takes ({} when none)', () => {
    expect(bind('area', [], { width: 2, height: 3 })).toEqual([
      { width: 2, height: 3 },
    ]);
    expect(bind('notify', [], { user_id: 'u1', loud: true })).toEqual([
      'u1',
      { loud: true },
    ]);
    expect(bind('notify', ['u1'])).toEqual(['u1', {}]);
    expect(bind('echo', [1, 2], { x: 1 })).toEqual([{ x: 1 }, 1, 2]);
    expect(bind('echo', [])).toEqual([{}]);
  });

  it('names a destructured parameter with @Arg', () => {
    expect(bind('named', [], { dims: { width: 4 } })).toEqual([{ width: 4 }]);
  });

  it('refuses a missing required argument as Python words it, naming the task and its parameters', () => {
    expect(refusal(() => bind('add', [1])).message).toBe(
      "math.add() missing 1 required positional argument: 'b' (the task's parameters: math.add(a, b))",
    );
    expect(refusal(() => bind('add', [])).message).toContain(
      "math.add() missing 2 required positional arguments: 'a' and 'b'",
    );
    expect(refusal(() => bind('add', [], { a: 1 })).message).toContain(
      "missing 1 required positional argument: 'b'",
    );
  });

  it('refuses too many positional arguments', () => {
    expect(refusal(() => bind('add', ['2', '3', '4'])).message).toContain(
      'math.add() takes 2 positional arguments but 3 were given',
    );
    expect(refusal(() => bind('greet', [1, 2, 3])).message).toContain(
      'users.greet() takes from 1 to 2 positional arguments but 3 were given',
    );
    expect(refusal(() => bind('area', [{ width: 1 }])).message).toContain(
      'geometry.area() takes 0 positional arguments but 1 was given',
    );
  });

  it('refuses an unknown keyword, and one given twice', () => {
    expect(refusal(() => bind('add', [1], { b: 2, c: 3 })).message).toContain(
      "math.add() got an unexpected keyword argument 'c'",
    );
    expect(refusal(() => bind('add', [1, 2], { a: 3 })).message).toContain(
      "math.add() got multiple values for argument 'a'",
    );
  });

  it('gives a Date parameter a Date from an ISO-8601 string, positional or by name', () => {
    const [when] = bind('at', ['2026-01-02T03:04:05.678000+00:00']);
    expect(when).toEqual(new Date('2026-01-02T03:04:05.678Z'));
    const [byName, label] = bind('at', [], {
      when: '2026-01-02T03:04:05Z',
      label: 'x',
    });
    expect(byName).toEqual(new Date('2026-01-02T03:04:05Z'));
    expect(label).toBe('x');
    expect(refusal(() => bind('at', ['soon'])).message).toContain(
      `events.at() argument 'when' is declared Date, but "soon" is not an ISO-8601 time`,
    );
  });
});
