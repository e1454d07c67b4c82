export * from './http';
export * from './subgraph';
export * from './run-service';
export * from './subgraph-env';
export * from './loaders';
export * from './json-scalar';
export * from './keep-alive-fetch';
export * from './page-args';
