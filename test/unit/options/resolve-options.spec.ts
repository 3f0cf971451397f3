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

  it('one node name: worker.nodeName, or the deprecated workerName when it is not set', () => {
    expect(resolveOptions({}).nodeName).toBeUndefined();
    const legacy = resolveOptions({ worker: true, workerName: 'old@box' });
    expect(legacy.nodeName).toBe('old@box');
    expect(legacy.worker?.nodeName).toBe('old@box');
    const both = resolveOptions({
      worker: { nodeName: 'new@%h' },
      workerName: 'old@box',
    });
    expect([both.nodeName, both.worker?.nodeName]).toEqual([
      'new@%h',
      'new@%h',
    ]);
  });
});
