export * from './redis-transport';
export * from './redis-transport-options';
export * from '../../redis/redis-url';
export * from './keys';
export * from './envelope';
export { RedisUnavailableError } from './connection';
