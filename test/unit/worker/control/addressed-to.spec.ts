import { addressedTo } from '../../../../lib/worker/control/addressed-to';
import { ControlMessage } from '../../../../lib/transports/control-bus';

const message = (over: Partial<ControlMessage>): ControlMessage => ({
  method: 'ping',
  arguments: {},
  destination: null,
  pattern: null,
  matcher: null,
  ...over,
});

describe('addressedTo (kombu Node.handle_message)', () => {
  it('every node without destination or pattern', () => {
    expect(addressedTo(message({}), 'a@h')).toBe(true);
    expect(addressedTo(message({ destination: [] }), 'a@h')).toBe(true);
  });

  it('only the nodes of a destination', () => {
    expect(addressedTo(message({ destination: ['a@h'] }), 'a@h')).toBe(true);
    expect(addressedTo(message({ destination: ['b@h'] }), 'a@h')).toBe(false);
  });

  it('glob and pcre patterns', () => {
    const glob = message({ pattern: 'celeriac*@h?', matcher: 'glob' });
    expect(addressedTo(glob, 'celeriac.1@h1')).toBe(true);
    expect(addressedTo(glob, 'celery@h1')).toBe(false);
    const pcre = message({ pattern: 'cel(ery|eriac)@', matcher: 'pcre' });
    expect(addressedTo(pcre, 'celery@h')).toBe(true);
    expect(addressedTo(pcre, 'x-celery@h')).toBe(false);
  });
});
