export * from './redis-transport';
export * from './redis-transport-options';
export * from './keys';
export * from './envelope';
export * from './errors';
