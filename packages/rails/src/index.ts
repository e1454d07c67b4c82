export * from './subjects';
export * from './schemas';
export * from './parse';
export * from './client';
export { newEndToEndId, isEndToEndIdShape, randomAlphanumeric } from './end-to-end-id';
