export * from './redis-url';
export * from './script';
export * from './close-connection';
