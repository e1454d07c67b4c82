export * from './platform';
export * from './database';
