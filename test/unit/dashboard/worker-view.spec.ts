import { workerBeat } from '../../../lib/dashboard/live/worker-beat';
import { workerSoftware, workerView } from '../../../lib/dashboard/worker-view';

const seenAt = new Date('2026-12-06T03:00:00Z');

describe('workerView', () => {
  it('reads a Celeriac worker from its stats, active and active_queues replies', () => {
    const view = workerView(
      'celeriac@web-1',
      {
        stats: {
          pid: 42,
          uptime: 90,
          total: { 'videos.transcode': 3, 'mail.send': 4 },
          pool: { 'max-concurrency': 8 },
          sw_ident: 'celeriac',
          sw_ver: '0.1.0',
        },
        active: [{ id: 'a' }, { id: 'b' }],
        activeQueues: [{ name: 'videos' }, { name: 'mail' }],
      },
      seenAt,
    );
    expect(view).toEqual({
      node: 'celeriac@web-1',
      language: 'Node.js',
      software: 'celeriac 0.1.0',
      concurrency: 8,
      active: 2,
      processed: 7,
      load: null,
      busy: 0.25,
      queues: ['videos', 'mail'],
      pid: 42,
      uptime: 90,
      lastSeen: '2026-12-06T03:00:00.000Z',
      lastHeartbeat: null,
      online: true,
    });
  });

  it('takes a node without sw_ident for Python Celery (its stats do not name the software)', () => {
    const view = workerView(
      'celery@host',
      {
        stats: {
          pid: 7,
          total: {},
          pool: {
            'max-concurrency': 4,
            implementation: 'celery.concurrency.thread:TaskPool',
          },
        },
        active: [],
      },
      seenAt,
    );
    expect(view).toMatchObject({
      language: 'Python',
      software: 'py-celery',
      concurrency: 4,
      active: 0,
      processed: 0,
      busy: 0,
      queues: [],
    });
  });

  it('shows unknown rather than wrong numbers when a reply is missing or malformed', () => {
    const view = workerView(
      'celery@odd',
      { stats: { pool: 'none', total: { x: 'many' }, pid: '12' } },
      seenAt,
    );
    expect(view).toMatchObject({
      concurrency: null,
      active: null,
      processed: 0,
      busy: null,
      pid: null,
      uptime: null,
    });
  });

  it('names the software alike from a heartbeat and from the stats, so a row reads the same after a reload', () => {
    const heartbeat = (hostname: string, sw_ident: string, sw_ver: string) =>
      workerBeat({
        type: 'worker-heartbeat',
        hostname,
        timestamp: 1_796_526_000,
        utcoffset: 0,
        pid: 1,
        clock: 1,
        freq: 2,
        sw_ident,
        sw_ver,
        sw_sys: 'Linux',
      });
    const python = heartbeat('celery@host', 'py-celery', '5.4.0');
    expect(python).toMatchObject({ language: 'Python', software: 'py-celery' });
    expect(workerView('celery@host', { stats: {} }, seenAt)).toMatchObject({
      language: python.language,
      software: python.software,
    });
    const nest = heartbeat('celeriac@web-1', 'celeriac', '0.1.0');
    expect(nest).toMatchObject({
      language: 'Node.js',
      software: 'celeriac 0.1.0',
    });
    expect(
      workerView(
        'celeriac@web-1',
        { stats: { sw_ident: 'celeriac', sw_ver: '0.1.0' } },
        seenAt,
      ),
    ).toMatchObject({ language: nest.language, software: nest.software });
  });

  it('names another software with its version, and leaves out an empty one', () => {
    expect(workerSoftware('other-worker', '2.0')).toEqual({
      language: 'Python',
      software: 'other-worker 2.0',
    });
    expect(workerSoftware('celeriac', '')).toEqual({
      language: 'Node.js',
      software: 'celeriac',
    });
    expect(workerSoftware('', undefined)).toEqual({
      language: 'Python',
      software: 'py-celery',
    });
  });
});
