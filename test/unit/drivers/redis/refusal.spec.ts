import { describeRedisError } from '../../../../lib/drivers/redis/describe-error';
import { refusalReason } from '../../../../lib/drivers/redis/refusal';

describe('Redis refusals and errors in Celeriac words', () => {
  it('tells configuration errors from outages', () => {
    expect(
      refusalReason(new Error('ERR DB index is out of range'), 99),
    ).toMatch(/no db 99/);
    expect(
      refusalReason(
        new Error(
          'WRONGPASS invalid username-password pair or user is disabled.',
        ),
        0,
      ),
    ).toMatch(/password is wrong/);
    expect(
      refusalReason(
        new Error('Ready check failed: NOAUTH Authentication required.'),
        0,
      ),
    ).toMatch(/requires a password/);
    const refused = Object.assign(
      new Error('connect ECONNREFUSED 127.0.0.1:1'),
      {
        code: 'ECONNREFUSED',
      },
    );
    expect(refusalReason(refused, 0)).toBeUndefined();
    expect(describeRedisError(refused)).toMatch(/^Redis refuses connections/);
  });
});
