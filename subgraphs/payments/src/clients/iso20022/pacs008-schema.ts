import { readFileSync } from 'node:fs';
import { XmlDocument, XmlLibError, XsdValidator } from 'libxml2-wasm';

/**
 * The pacs.008.001.08 message checked against the official ISO 20022 XSD (README.md here says
 * where the file comes from), with libxml2 compiled to WebAssembly (`libxml2-wasm`: no native build).
 *
 * The schema is read and compiled once, on first use, and kept for the life of the process; each
 * check parses the message and validates it synchronously. A message we built that the schema
 * refuses is our bug, not the client's: `assertValidPacs008` throws a plain Error (the error
 * formatter turns it into INTERNAL_SERVER_ERROR and logs it; no schema detail reaches a client).
 */

export const PACS008_XSD_URL = new URL('./pacs.008.001.08.xsd', import.meta.url);

let validator: XsdValidator | undefined;

function pacs008Validator(): XsdValidator {
  if (!validator) {
    // The schema document stays alive with the validator (it is never disposed).
    validator = XsdValidator.fromDoc(XmlDocument.fromString(readFileSync(PACS008_XSD_URL, 'utf8')));
  }
  return validator;
}

const describe = (e: unknown): string[] =>
  e instanceof XmlLibError && e.details.length > 0
    ? e.details.map((d) => `line ${d.line}: ${d.message.trim()}`)
    : [e instanceof Error ? e.message : String(e)];

/** Why `xml` is not a well-formed pacs.008.001.08 document valid against the XSD; [] when it is. */
export function pacs008SchemaErrors(xml: string): string[] {
  const schema = pacs008Validator();
  let doc: XmlDocument;
  try {
    doc = XmlDocument.fromString(xml);
  } catch (e) {
    return describe(e);
  }
  try {
    schema.validate(doc);
    return [];
  } catch (e) {
    return describe(e);
  } finally {
    doc.dispose();
  }
}

/** Thrown when a message we generated does not conform to the schema (an internal error). */
export class Pacs008SchemaError extends Error {
  constructor(readonly errors: readonly string[]) {
    super(`Generated pacs.008.001.08 message does not conform to its XSD: ${errors.join('; ')}`);
    this.name = 'Pacs008SchemaError';
  }
}

export function assertValidPacs008(xml: string): void {
  const errors = pacs008SchemaErrors(xml);
  if (errors.length > 0) throw new Pacs008SchemaError(errors);
}
