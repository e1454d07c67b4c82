export { createGateway, type RunningGateway } from './create-gateway';
export { gatewayConfigSchema, type GatewayConfig } from './config';
export { measureOperation } from '@baas/server';
export { CircuitBreaker } from './circuit-breaker';
export { RoundRobinBalancer } from './balancer';
export { subgraphUrlsOf } from './create-gateway';
export { PERSISTED_QUERY_NOT_ALLOWED, readPersistedOperations } from './persisted-operations';
export { CORS_ALLOWED_HEADERS, CORS_EXPOSED_HEADERS, DEVELOPMENT_CORS_ORIGINS } from './cors';
