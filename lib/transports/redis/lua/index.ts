export * from '../../../drivers/redis/script';
export * from './fetch';
export * from './publish';
export * from './settle';
export * from './restore';
export * from './dead-letters';
