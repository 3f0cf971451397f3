import {
  resolveOptions,
  resolveWorkerOptions,
} from '../../../lib/options/resolve-options';

describe('resolveOptions', () => {
  it('trackStarted is a default of every task; taskDefaults.trackStarted wins', () => {
    expect(resolveOptions({}).taskDefaults).toEqual({});
    expect(resolveOptions({ trackStarted: true }).taskDefaults).toEqual({
      trackStarted: true,
    });
    expect(
      resolveOptions({
        trackStarted: true,
        taskDefaults: { trackStarted: false },
      }).taskDefaults.trackStarted,
    ).toBe(false);
  });

  it('keeps the worker nodeName as given, formatted when the worker starts', () => {
    expect(resolveWorkerOptions({}, 'celery').nodeName).toBeUndefined();
    expect(resolveWorkerOptions({ nodeName: 'w1@%h' }, 'celery').nodeName).toBe(
      'w1@%h',
    );
  });
});
