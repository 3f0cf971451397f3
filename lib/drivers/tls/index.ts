export * from './tls-connect-options';
export * from './tls-refusal';
