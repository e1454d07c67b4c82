import { readFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { parse, printSchema } from 'graphql';
import { SUBGRAPHS, subgraphSdl } from './subgraphs';

export const SUPERGRAPH_PATH = new URL('./supergraph.graphql', import.meta.url);
/** The client-facing schema (no federation machinery): what codegen and the SDK are built from. */
export const API_SCHEMA_PATH = new URL('./api.graphql', import.meta.url);

/**
 * Composes the subgraphs' SDL files into the supergraph. Routing URLs are the local defaults; the
 * gateway overrides them with SUBGRAPH_URLS where subgraphs run elsewhere.
 */
export function composeSupergraph(): { supergraphSdl: string; apiSdl: string; errors: string[]; hints: string[] } {
  const result = composeServices(
    SUBGRAPHS.map((s) => ({ name: s.name, url: `http://127.0.0.1:${s.port}/graphql`, typeDefs: parse(subgraphSdl(s.name)) })),
  );
  if (result.errors) return { supergraphSdl: '', apiSdl: '', errors: result.errors.map((e) => e.message), hints: [] };
  const apiSdl = printSchema(result.schema.toAPISchema().toGraphQLJSSchema());
  return { supergraphSdl: result.supergraphSdl, apiSdl, errors: [], hints: result.hints.map((h) => h.definition.code + ': ' + h.message) };
}

export function checkedInSupergraph(): string {
  return readFileSync(SUPERGRAPH_PATH, 'utf8');
}

export function checkedInApiSchema(): string {
  return readFileSync(API_SCHEMA_PATH, 'utf8');
}

export const withNewline = (text: string) => (text.endsWith('\n') ? text : `${text}\n`);
