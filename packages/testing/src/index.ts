export * from './ports';
export * from './database';
export * from './eventually';
export * from './software-authenticator';
export * from './cbor';
export * from './private-stores';
export * from './gateway-caller';
