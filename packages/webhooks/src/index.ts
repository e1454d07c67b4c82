export * from './signing';
export * from './rotation';
export * from './event-types';
export * from './addresses';
export * from './endpoint-url';
export * from './input-errors';
export * from './deliver';
export * from './retry';
