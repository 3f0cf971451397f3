import {
  connectionRefusal,
  describeAmqpError,
} from '../../../../lib/drivers/amqp/describe-error';

describe('AMQP errors in Celeriac words', () => {
  it('tells a permanent refusal from an outage', () => {
    expect(
      connectionRefusal(
        new Error(
          'Handshake terminated by server: 403 (ACCESS-REFUSED) with message "ACCESS_REFUSED - Login was refused"',
        ),
        '/',
      ),
    ).toMatch(/user name or password is wrong/);
    expect(
      connectionRefusal(
        new Error('Expected ConnectionOpenOk; got <ConnectionClose channel:0>'),
        'orders',
      ),
    ).toMatch(/the vhost "orders" does not exist/);
    const refused = Object.assign(
      new Error('connect ECONNREFUSED 1.2.3.4:5672'),
      {
        code: 'ECONNREFUSED',
      },
    );
    expect(connectionRefusal(refused, '/')).toBeUndefined();
    expect(describeAmqpError(refused)).toMatch(/^RabbitMQ refuses connections/);
  });
});
