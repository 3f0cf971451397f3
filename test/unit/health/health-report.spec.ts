import { HealthInputs, assessHealth } from '../../../lib/health/health-report';

const NOW = 1_000_000;
const well: HealthInputs = {
  broker: { kind: 'redis', connected: true },
  worker: { consuming: true, running: 2, prefetched: 1 },
  beat: { lastPassAt: NOW - 4_000, maxSleepMs: 5_000 },
  lastHeartbeatAt: NOW - 1_000,
  heartbeatIntervalMs: 2_000,
};

describe('assessHealth', () => {
  it('is up when every part is well, and says so part by part', () => {
    expect(assessHealth(well, NOW)).toEqual({
      status: 'up',
      broker: { kind: 'redis', connected: true },
      worker: { consuming: true, running: 2, prefetched: 1 },
      beat: { ticking: true, lastPassAgeSeconds: 4 },
      heartbeat: { ageSeconds: 1, intervalSeconds: 2 },
      problems: [],
    });
  });

  it('is down, with every reason, when the broker is away, the worker stopped and the heartbeat is late', () => {
    const report = assessHealth(
      {
        ...well,
        broker: { kind: 'amqp', connected: false },
        worker: { consuming: false, running: 0, prefetched: 0 },
        lastHeartbeatAt: NOW - 4_500,
      },
      NOW,
    );
    expect(report.status).toBe('down');
    expect(report.problems).toEqual([
      'not connected to the amqp broker',
      'the worker is not consuming',
      'no heartbeat for 4.5 s',
    ]);
  });

  it('beat is stuck when its last pass is older than three of its longest sleeps (30 s at least)', () => {
    const at = (ageMs: number, maxSleepMs: number) =>
      assessHealth(
        { ...well, beat: { lastPassAt: NOW - ageMs, maxSleepMs } },
        NOW,
      ).beat?.ticking;
    expect(at(29_000, 5_000)).toBe(true);
    expect(at(31_000, 5_000)).toBe(false);
    expect(at(170_000, 60_000)).toBe(true);
    expect(at(181_000, 60_000)).toBe(false);
  });

  it('leaves out what does not run here, and a transport that cannot tell is not a problem', () => {
    const report = assessHealth(
      {
        ...well,
        broker: { kind: 'custom', connected: null },
        worker: null,
        beat: null,
      },
      NOW,
    );
    expect(report.status).toBe('up');
    expect(report).not.toHaveProperty('worker');
    expect(report).not.toHaveProperty('beat');
  });
});
