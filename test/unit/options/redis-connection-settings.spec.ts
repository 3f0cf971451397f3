import {
  redisSentinelFor,
  redisTlsFor,
} from '../../../lib/options/redis-connection-settings';

const brokerTls = { servername: 'broker' };
const backendTls = { servername: 'backend' };
const brokerSentinel = { masterName: 'broker-master' };
const backendSentinel = { masterName: 'backend-master' };

describe('the TLS and Sentinel settings of a Redis store beside the broker and backend', () => {
  const sources = {
    broker: 'sentinel://s1:26379',
    brokerOptions: { tls: brokerTls, sentinel: brokerSentinel },
    backend: 'sentinel://s2:26379',
    backendOptions: { tls: backendTls, sentinel: backendSentinel },
  };

  it('are the broker’s on its URL and the backend’s on its own', () => {
    expect(redisTlsFor('sentinel://s1:26379', sources)).toBe(brokerTls);
    expect(redisSentinelFor('sentinel://s1:26379', sources)).toBe(
      brokerSentinel,
    );
    expect(redisTlsFor('sentinel://s2:26379', sources)).toBe(backendTls);
    expect(redisSentinelFor('sentinel://s2:26379', sources)).toBe(
      backendSentinel,
    );
  });

  it('are the broker’s when the broker and backend share the URL', () => {
    const shared = { ...sources, backend: sources.broker };
    expect(redisTlsFor(sources.broker, shared)).toBe(brokerTls);
    expect(redisSentinelFor(sources.broker, shared)).toBe(brokerSentinel);
  });

  it('are none on another URL, or when the options have none', () => {
    expect(redisTlsFor('redis://other', sources)).toBeUndefined();
    expect(redisSentinelFor('redis://other', sources)).toBeUndefined();
    const bare = {
      broker: 'redis://b',
      backend: 'rpc://',
      backendOptions: { replyQueueDurable: true },
    };
    expect(redisTlsFor('redis://b', bare)).toBeUndefined();
    expect(redisSentinelFor('redis://b', bare)).toBeUndefined();
    expect(redisTlsFor('rpc://', bare)).toBeUndefined();
    expect(redisSentinelFor('rpc://', bare)).toBeUndefined();
  });
});
