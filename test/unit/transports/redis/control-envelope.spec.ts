import {
  decodeJsonEnvelope,
  encodeJsonTextEnvelope,
  encodeJsonTextEnvelopeBytes,
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

describe('encodeJsonTextEnvelopeBytes', () => {
  it('writes the UTF-8 bytes of the same envelope', () => {
    const body = JSON.stringify([{ type: 'task-started', uuid: 'é"\n' }]);
    const bytes = encodeJsonTextEnvelopeBytes(
      body,
      { hostname: 'nœud@"h' },
      'celeryev',
      'task.multi',
    );
    const text = bytes.toString('utf8');
    const { delivery_tag: tag } = (
      JSON.parse(text) as { properties: { delivery_tag: string } }
    ).properties;
    const expected = encodeJsonTextEnvelope(
      body,
      { hostname: 'nœud@"h' },
      'celeryev',
      'task.multi',
    ).replace(/"delivery_tag":"[^"]+"/, `"delivery_tag":"${tag}"`);
    expect(text).toBe(expected);
    expect(bytes.length).toBe(Buffer.byteLength(expected, 'utf8'));
    expect(decodeJsonEnvelope(text)).toEqual({
      body,
      headers: { hostname: 'nœud@"h' },
    });
  });
});
