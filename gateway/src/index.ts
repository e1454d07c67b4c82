export { createGateway, type RunningGateway } from './create-gateway';
export { gatewayConfigSchema, type GatewayConfig } from './config';
export { measureOperation } from '@baas/server';
export { CircuitBreaker } from './circuit-breaker';
export { RoundRobinBalancer } from './balancer';
export { subgraphUrlsOf } from './create-gateway';
