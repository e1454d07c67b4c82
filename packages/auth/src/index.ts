export * from './identity';
export * from './access-token';
export * from './identity-assertion';
export * from './guards';
export * from './client-address';
export * from './device-id';
