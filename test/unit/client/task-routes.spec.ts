import { InvalidRouteError, TaskRoutes } from '../../../lib';
import { compileRoutes, globToRegExp } from '../../../lib/client/task-routes';

const route = (routes: TaskRoutes | null, name: string, args: unknown[] = []) =>
  compileRoutes(routes)(name, args, {});

describe('compileRoutes', () => {
  it('no routes: no queue', () => {
    expect(route(null, 'billing.charge')).toBeNull();
  });

  it('routes exact names to a queue name or { queue }', () => {
    const routes = {
      'billing.charge': 'billing',
      'mail.send': { queue: 'mail' },
    };
    expect(route(routes, 'billing.charge')).toBe('billing');
    expect(route(routes, 'mail.send')).toBe('mail');
    expect(route(routes, 'billing.refund')).toBeNull();
  });

  it('a key with * is a glob over the whole name; an exact name wins over it', () => {
    const routes = {
      'billing.*': 'billing',
      'billing.audit': 'audit',
      'video.*.hd': 'gpu',
    };
    expect(route(routes, 'billing.charge')).toBe('billing');
    expect(route(routes, 'billing.audit')).toBe('audit');
    expect(route(routes, 'video.transcode.hd')).toBe('gpu');
    expect(route(routes, 'video.transcode.sd')).toBeNull();
    expect(route(routes, 'xbilling.charge')).toBeNull();
  });

  it("a key without * is exact, as in Celery (no glob for '?' alone)", () => {
    expect(route({ 'a?c': 'q' }, 'abc')).toBeNull();
    expect(route({ 'a?c': 'q' }, 'a?c')).toBe('q');
  });

  it('globs are tried in order; a Map may hold RegExp keys', () => {
    const routes = new Map<string | RegExp, string>([
      [/^(video|image)\./, 'media'],
      ['*', 'catch-all'],
    ]);
    expect(route(routes, 'image.resize')).toBe('media');
    expect(route(routes, 'mail.send')).toBe('catch-all');
  });

  it('a function decides from the name and arguments; null lets the next route decide', () => {
    const routes: TaskRoutes = [
      (name, args) =>
        name === 'reports.build' && args[0] === 'big' ? 'slow' : null,
      { 'reports.*': { queue: 'reports' } },
    ];
    expect(route(routes, 'reports.build', ['big'])).toBe('slow');
    expect(route(routes, 'reports.build', ['small'])).toBe('reports');
    expect(route(routes, 'other')).toBeNull();
  });

  it('refuses a target that gives no queue, at compile time for maps', () => {
    expect(() => compileRoutes({ 'a.b': { queue: '' } })).toThrow(
      InvalidRouteError,
    );
    expect(() => compileRoutes({ 'a.b': 42 as unknown as string })).toThrow(
      "route a.b gives 42: a route gives a queue name or { queue: 'name' }",
    );
    const bad = compileRoutes(() => ({ name: 'x' }) as unknown as string);
    expect(() => bad('a.b', [], {})).toThrow(InvalidRouteError);
  });
});

describe('globToRegExp', () => {
  it("translates as Python's fnmatch does", () => {
    expect(globToRegExp('a.*').test('a.b.c')).toBe(true);
    expect(globToRegExp('a.?').test('a.bc')).toBe(false);
    expect(globToRegExp('a.[bc]*').test('a.cx')).toBe(true);
    expect(globToRegExp('a.[!bc]*').test('a.cx')).toBe(false);
    expect(globToRegExp('a+b(*').test('a+b(c')).toBe(true);
  });
});
