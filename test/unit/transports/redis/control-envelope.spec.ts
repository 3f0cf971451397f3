import {
  decodeJsonEnvelope,
  encodeJsonTextEnvelope,
} from '../../../../lib/transports/redis/control-envelope';

describe('encodeJsonTextEnvelope', () => {
  it("writes kombu's envelope, key for key, with the body base64 and the text kept", () => {
    const body = JSON.stringify([{ type: 'task-started', uuid: 'é"\n' }]);
    const text = encodeJsonTextEnvelope(
      body,
      { hostname: 'n@"h' },
      'celeryev',
      'task.multi',
    );
    const envelope = JSON.parse(text) as {
      properties: { delivery_tag: string };
    };
    // What JSON.stringify of kombu's envelope, as an object, gives.
    expect(text).toBe(
      JSON.stringify({
        body: Buffer.from(body, 'utf8').toString('base64'),
        'content-encoding': 'utf-8',
        'content-type': 'application/json',
        headers: { hostname: 'n@"h' },
        properties: {
          delivery_mode: 1,
          delivery_info: { exchange: 'celeryev', routing_key: 'task.multi' },
          priority: 0,
          body_encoding: 'base64',
          delivery_tag: envelope.properties.delivery_tag,
        },
      }),
    );
    expect(envelope.properties.delivery_tag).toMatch(/^[0-9a-f-]{36}$/);
    expect(decodeJsonEnvelope(text)).toEqual({
      body,
      headers: { hostname: 'n@"h' },
    });
  });
});
