export * from './codes';
export * from './domain-error';
export * from './format-error';
export * from './store-unavailable';
