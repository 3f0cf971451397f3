import { Logger, LoggerService, Module } from '@nestjs/common';
import { createContext } from '../../../lib/logging/create-context';

@Module({})
class EmptyModule {}

describe('createContext: the logging of a worker or beat process', () => {
  it("logFormat 'json' writes JSON lines on stdout", async () => {
    const written: string[] = [];
    const spy = jest
      .spyOn(process.stdout, 'write')
      .mockImplementation((chunk: string | Uint8Array) => {
        written.push(String(chunk));
        return true;
      });
    try {
      const app = await createContext(EmptyModule, undefined, 'json');
      Logger.log('hello', 'videos.transcode[abc]');
      await app.close();
    } finally {
      spy.mockRestore();
    }
    const line = written
      .map((text) => JSON.parse(text) as Record<string, unknown>)
      .find((entry) => entry.message === 'hello');
    expect(line).toMatchObject({
      level: 'log',
      taskName: 'videos.transcode',
      taskId: 'abc',
    });
  });

  it('a logger taken from the app (nestjs-pino, nest-winston) gets the lines logged before it, too', async () => {
    const seen: string[] = [];
    const fromApp: LoggerService = {
      log: (message: string) => seen.push(message),
      error: () => undefined,
      warn: () => undefined,
    };
    const app = await createContext(EmptyModule, () => fromApp, undefined);
    Logger.log('after', 'Ctx');
    await app.close();
    // Nest logs its own start ("Nest application successfully started") before useLogger.
    expect(seen.length).toBeGreaterThan(1);
    expect(seen).toContain('after');
  });

  it('refuses both a logger and the json format', async () => {
    await expect(
      createContext(EmptyModule, new Logger(), 'json'),
    ).rejects.toThrow(/either logger or logFormat/);
  });
});
