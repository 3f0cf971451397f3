import { JsonLogEntry, JsonLogger } from '../../../lib';

function capture(levels?: ConstructorParameters<typeof JsonLogger>[0]) {
  const lines: JsonLogEntry[] = [];
  const logger = new JsonLogger({
    ...levels,
    write: (line) => lines.push(JSON.parse(line) as JsonLogEntry),
  });
  return { logger, lines };
}

describe('JsonLogger', () => {
  it('writes one JSON object per line, with the context Nest passes last', () => {
    const { logger, lines } = capture();
    logger.log('Consuming q', 'TaskWorker');
    expect(lines).toEqual([
      {
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
        level: 'log',
        pid: process.pid,
        context: 'TaskWorker',
        message: 'Consuming q',
      },
    ]);
  });

  it("reads a task's context (name[id]) into taskName and taskId", () => {
    const { logger, lines } = capture();
    logger.warn('failed: TypeError: bad input', 'videos.transcode[3f2c-11]');
    expect(lines[0]).toMatchObject({
      context: 'videos.transcode[3f2c-11]',
      taskName: 'videos.transcode',
      taskId: '3f2c-11',
    });
  });

  it('keeps the stack of an error, and the fields of an object message', () => {
    const { logger, lines } = capture();
    logger.error('boom', 'Error: boom\n    at x (y.ts:1:1)', 'Ctx');
    logger.log({ event: 'sent', count: 3 }, 'Ctx');
    expect(lines[0]).toMatchObject({
      level: 'error',
      message: 'boom',
      stack: 'Error: boom\n    at x (y.ts:1:1)',
      context: 'Ctx',
    });
    expect(lines[1].message).toEqual({ event: 'sent', count: 3 });
  });

  it('writes only the levels asked for', () => {
    const { logger, lines } = capture({ levels: ['error'] });
    logger.log('no');
    logger.debug('no');
    logger.error('yes');
    logger.setLogLevels(['log']);
    logger.log('now yes');
    expect(lines.map((l) => l.message)).toEqual(['yes', 'now yes']);
  });
});
