export * from './http';
export * from './subgraph';
export * from './run-service';
