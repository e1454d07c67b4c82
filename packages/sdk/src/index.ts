/** The typed client SDK: documents and types generated from the supergraph (npm run codegen), and a client. */
export * from './generated/graphql';
export * from './client';
