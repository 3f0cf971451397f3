import { urlScheme } from '../../../lib/common/url-scheme';

describe('urlScheme', () => {
  it('reads the scheme in lower case', () => {
    expect(urlScheme('REDISS://host:6380/0')).toBe('rediss');
    expect(urlScheme('redis+sentinel://s1:26379/mymaster')).toBe(
      'redis+sentinel',
    );
    expect(urlScheme('memory://')).toBe('memory');
  });

  it('is undefined without `<scheme>://`', () => {
    expect(urlScheme('localhost:6379')).toBeUndefined();
    expect(urlScheme('redis:/host')).toBeUndefined();
    expect(urlScheme('')).toBeUndefined();
  });
});
