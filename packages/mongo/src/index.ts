export { defineCollection, type CollectionDefinition, type IndexDefinition } from './define-collection';
export { ensureCollections, MongoSetupError, type CollectionReport, type IndexReport, type ValidationReport } from './ensure-collections';
export { createMongoStore, type CreateMongoStoreOptions, type MongoStore, type MongoStoreReport } from './create-mongo-store';
