export * from './platform';
export type * from './platform-types';
