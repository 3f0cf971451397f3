import {
  fallbackNodeName,
  formatNodeName,
} from '../../../../lib/worker/control/node-name';
import { InvalidNodeNameError } from '../../../../lib/worker/control/errors';

describe('formatNodeName (Celery -n)', () => {
  it('defaults to celeriac@<host>', () => {
    expect(formatNodeName(undefined, 'box.example.com')).toBe(
      'celeriac@box.example.com',
    );
  });

  it('reads a name without @ as the host, as Celery does', () => {
    expect(formatNodeName('other', 'box')).toBe('celeriac@other');
  });

  it('expands %h, %n, %d, %i, %I, %p and %%', () => {
    expect(formatNodeName('w%i%I-%p-%%@%n.%d|%h', 'box.example.com', 42)).toBe(
      'w0-42-%@box.example.com|box.example.com',
    );
    expect(formatNodeName('worker1@%h', 'box', 1)).toBe('worker1@box');
  });

  it('refuses a key Celery does not know', () => {
    expect(() => formatNodeName('w%x@%h', 'box')).toThrow(InvalidNodeNameError);
  });

  it('falls back to pid-suffixed names', () => {
    expect(fallbackNodeName('celeriac@box', 0)).toBe('celeriac@box');
    expect(fallbackNodeName('celeriac@box', 1)).toBe(
      `celeriac.${process.pid}@box`,
    );
    expect(fallbackNodeName('celeriac@box', 3)).toBe(
      `celeriac.${process.pid}.3@box`,
    );
  });
});
