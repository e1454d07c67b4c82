export * from './create-or-replay';
export * from './request-fingerprint';
export * from './store-conflicts';
