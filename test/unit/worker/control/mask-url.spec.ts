import { maskUrl } from '../../../../lib/worker/control/mask-url';

describe('maskUrl', () => {
  it('masks passwords as Celery does', () => {
    expect(maskUrl('amqp://guest:secret@host:5672//')).toBe(
      'amqp://guest:**@host:5672//',
    );
    expect(maskUrl('redis://:pw@localhost:6379/0')).toBe(
      'redis://:**@localhost:6379/0',
    );
    expect(maskUrl('redis://a:b@h1;redis://c:d@h2')).toBe(
      'redis://a:**@h1;redis://c:**@h2',
    );
  });

  it('leaves URLs without a password alone', () => {
    expect(maskUrl('redis://localhost:6379/0')).toBe(
      'redis://localhost:6379/0',
    );
    expect(maskUrl('rpc://')).toBe('rpc://');
  });
});
