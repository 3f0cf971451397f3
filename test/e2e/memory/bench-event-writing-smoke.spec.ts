import { join } from 'node:path';
import { eventWritingSection } from '../../../bench/event-writing/section';

describe('bench: event-writing section (smoke, tiny sizes)', () => {
  it("measures a task's three events, alone and taking turns with another checkout", async () => {
    const alone: string[] = [];
    const single = await eventWritingSection((line) => alone.push(line), {
      tasks: 600,
      rounds: 3,
      compare: undefined,
    }).run();
    expect(single).toEqual([
      expect.objectContaining({
        section: 'event-writing',
        scenario:
          "write a task's three events (Redis list, framed), median of 3",
        system: 'celeriac',
        unit: 'ns per task',
        better: 'lower',
      }),
    ]);
    expect(single[0].value).toBeGreaterThan(0);
    expect(alone).toEqual([
      expect.stringMatching(/^ {2}celeriac \d+ ns a task$/),
    ]);

    const lines: string[] = [];
    const paired = await eventWritingSection((line) => lines.push(line), {
      tasks: 600,
      rounds: 4,
      compare: join(__dirname, '../../..'),
    }).run();
    expect(paired.map((m) => m.system)).toEqual(['celeriac', 'compared tree']);
    expect(paired.every((m) => m.value > 0)).toBe(true);
    // Four rounds, each with its own ratio, and their median.
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^ {2}celeriac \d+ ns, compared tree \d+ ns a task; this tree \/ compared, round by round: median x\d+\.\d{3} \((\d+\.\d{2}, ){3}\d+\.\d{2}\)$/,
    );
  });
});
