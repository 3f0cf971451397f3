import { TaskEmbed } from '../../../lib/protocol';
import { unsupportedCanvas } from '../../../lib/worker/canvas-notice';
import { readFixture } from '../../support/celery-fixtures';

describe('unsupportedCanvas: what of a Celery canvas the worker warns it will not run', () => {
  it('says nothing for a plain task', () => {
    expect(unsupportedCanvas(null)).toBeUndefined();
    expect(
      unsupportedCanvas({
        callbacks: null,
        errbacks: null,
        chain: null,
        chord: null,
      }),
    ).toBeUndefined();
  });

  it('names the rest of a chain (captured first message of a 3-step chain)', () => {
    const [, , embed] = readFixture<[unknown, unknown, TaskEmbed]>(
      'celery-5.2/chain-first-body.json',
    );
    expect(unsupportedCanvas(embed)).toBe(
      'the rest of a chain (2 more task(s))',
    );
  });

  it("names link callbacks, errbacks and a chord's body", () => {
    const signature = { task: 'tasks.tsum', args: [], kwargs: {} };
    expect(
      unsupportedCanvas({
        callbacks: [signature],
        errbacks: [signature, signature],
        chain: [],
        chord: signature,
      }),
    ).toBe("1 link callback(s), 2 link_error errback(s), a chord's body");
  });
});
