export * from './connection-options';
export * from './amqp-url';
export * from './amqp-connection';
export * from './confirm-publisher';
export * from './amqp-int';
export * from './errors';
export * from './describe-error';
