export * from './amqp-options';
export * from './amqp-transport';
export * from './celery-declarations';
export * from './dead-letter-box';
export * from './delay-scheme';
export * from './pidbox';
