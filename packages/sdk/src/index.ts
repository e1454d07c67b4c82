/** The typed client SDK: documents and types generated from the supergraph (npm run codegen), and clients. */
export * from './generated/graphql.js';
export * from './client.js';
export * from './errors.js';
export * from './baas-client.js';
