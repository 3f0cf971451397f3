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
    });
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
