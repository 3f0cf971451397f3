import { resolveDashboardOptions } from '../../../lib/dashboard/resolve-dashboard-options';

describe('resolveDashboardOptions', () => {
  it('trims the path and applies the defaults', () => {
    expect(
      resolveDashboardOptions({ path: '/admin/queues/', queues: ['a', 'a'] }),
    ).toEqual({
      path: 'admin/queues',
      queues: ['a'],
      readOnly: false,
      fleetTimeout: 1,
      title: 'Celeriac',
      history: {
        maxTasks: 100_000,
        maxAgeSeconds: 86_400,
        url: null,
        keyPrefix: 'celeriac:dashboard:',
      },
      enableEvents: true,
    });
  });

  it('takes history caps, turns history off, and refuses bad caps or URLs', () => {
    expect(
      resolveDashboardOptions({
        path: 'q',
        history: { maxTasks: 10, maxAgeSeconds: 60, url: 'redis://h:1' },
        enableEvents: false,
      }),
    ).toMatchObject({
      history: { maxTasks: 10, maxAgeSeconds: 60, url: 'redis://h:1' },
      enableEvents: false,
    });
    expect(resolveDashboardOptions({ path: 'q', history: false }).history).toBe(
      null,
    );
    expect(() =>
      resolveDashboardOptions({ path: 'q', history: { maxTasks: 0 } }),
    ).toThrow(/maxTasks must be a positive integer/);
    expect(() =>
      resolveDashboardOptions({ path: 'q', history: { maxAgeSeconds: -1 } }),
    ).toThrow(/maxAgeSeconds must be at least 1/);
    expect(() =>
      resolveDashboardOptions({ path: 'q', history: { url: 'amqp://x' } }),
    ).toThrow(/history.url must be/);
    for (const url of ['rediss://h', 'redis+sentinel://s:26379', 'MEMORY://'])
      expect(
        resolveDashboardOptions({ path: 'q', history: { url } }).history?.url,
      ).toBe(url);
    expect(() =>
      resolveDashboardOptions({ path: 'q', history: { url: 'redis:h' } }),
    ).toThrow(/history.url must be/);
  });

  it('refuses a missing path or one with characters a route cannot hold', () => {
    expect(() =>
      resolveDashboardOptions({} as unknown as { path: string }),
    ).toThrow(/needs a `path`/);
    expect(() => resolveDashboardOptions({ path: 'queues/:id' })).toThrow(
      /may hold only/,
    );
  });
});
