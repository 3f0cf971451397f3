export * from './redis-url';
export * from './script';
export * from './close-connection';
export * from './errors';
export * from './refusal';
export * from './describe-error';
export * from './wait-ready';
export * from './side-client';
