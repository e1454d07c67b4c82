import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Identity } from '@baas/auth';
import { cpfCheckDigits } from '@baas/br-documents';
import { notFound } from '@baas/errors';
import { createMongoStore, type MongoStore } from '@baas/mongo';
import { createLogger } from '@baas/observability';
import { createPiiVault, generatePiiKey } from '@baas/pii';
import { DEFAULT_KYC_RULES, type CheckResult } from '../src/domain/kyc-decision';
import { createClaims } from '../src/store/claims';
import { createApplicationStore } from '../src/store/application-store';
import { createCustomerKycStore } from '../src/store/customer-kyc-store';
import { createDocumentStore } from '../src/store/document-store';
import { kycCollections } from '../src/store/kyc-collections';
import { createUploadStore } from '../src/store/upload-store';
import type { KycCheckDocument, KycChecks } from '../src/use-cases/kyc-checks';
import type { KycDeps } from '../src/use-cases/kyc-deps';

export const MONGO_URL = 'mongodb://127.0.0.1:27017';

type PngModule = { PNG: { new (o: { width: number; height: number }): { data: Buffer }; sync: { write(png: unknown): Buffer } } };
const { PNG } = createRequire(import.meta.url)('pngjs') as PngModule;

/** A real PNG of `width` x `height` (grey, with a marker byte so two PNGs differ). */
export function pngBytes(width = 8, height = 8, marker = 0): Uint8Array {
  const png = new PNG({ width, height });
  png.data.fill(128);
  png.data[0] = marker & 0xff;
  return new Uint8Array(PNG.sync.write(png));
}

/** A valid CPF made at random. */
export function randomCpf(): string {
  const base = String(100_000_000 + Math.floor(Math.random() * 899_999_999));
  return base + cpfCheckDigits(base);
}

export const applicant = () => ({ fullName: 'Maria da Silva', cpf: randomCpf(), dateOfBirth: '1990-05-17' });

/**
 * Deterministic checks (pure logic, no models): the verdict of each check is read from the first
 * byte of the image (the PNG marker), so a test picks the outcome by the file it uploads.
 * marker 0: every check passes; 1: the face does not match; 2: screening hit; 3: throws (cannot run).
 */
export function markerChecks(calls: string[] = []): KycChecks {
  const marker = (doc: KycCheckDocument) => markerOf(doc.bytes);
  const result = (outcome: CheckResult['outcome'], score: number, reasons: string[] = [], modelVersion = 'test@1'): CheckResult => ({ outcome, score, reasons, modelVersion });
  return {
    async ocr(document) {
      calls.push(`ocr:${document.type}`);
      if (marker(document) === 3) throw new Error('ocr model not loaded');
      return result('PASS', 0.93, [], 'ocr-test@1');
    },
    async face(selfie) {
      calls.push('face');
      return marker(selfie) === 1 ? result('FAIL', 0.21, ['FACE_MISMATCH'], 'face-test@1') : result('PASS', 0.88, [], 'face-test@1');
    },
    async liveness() {
      calls.push('liveness');
      return result('PASS', 0.97, [], 'liveness-test@1');
    },
    async screening(who) {
      calls.push('screening');
      return who.fullName.includes('Sanctioned') ? result('FAIL', 0.96, ['SCREENING_HIT'], 'ofac@fixture') : result('PASS', 0.1, [], 'ofac@fixture');
    },
  };
}

/** The marker the PNG was made with: decoded back from the image (first pixel's red channel). */
export function markerOf(bytes: Uint8Array): number {
  return (PNG as unknown as { sync: { read(b: Buffer): { data: Buffer } } }).sync.read(Buffer.from(bytes)).data[0]!;
}

export type KycFixture = { mongo: MongoStore<typeof kycCollections>; deps: KycDeps; audit: { records: unknown[] }; drop(): Promise<void> };

/** KYC's stores on the real MongoDB-protocol server, in a database of their own (dropped by drop()). */
export async function createKycFixture(opts: { checks?: KycChecks | null; activeCustomers?: Set<string> } = {}): Promise<KycFixture> {
  const database = `kyc_test_${randomBytes(6).toString('hex')}`;
  const mongo = await createMongoStore({ url: MONGO_URL, database, service: 'kyc-test', logger: createLogger({ service: 'kyc-test', level: 'silent' }), collections: kycCollections });
  const vault = createPiiVault({ keys: { k1: generatePiiKey() }, activeKeyId: 'k1', blindIndexKey: generatePiiKey() });
  const records: unknown[] = [];
  const claims = createClaims(mongo.collections.claims);
  const deps: KycDeps = {
    applications: createApplicationStore(mongo.collections.applications, claims, vault),
    uploads: createUploadStore(mongo.collections.uploads, claims),
    documents: createDocumentStore(mongo.collections.documents, mongo.collections.chunks, vault),
    customers: createCustomerKycStore(mongo.collections.customers),
    vault,
    uploadTokenKey: randomBytes(32),
    publicUrl: () => 'http://kyc.test',
    requireActiveCustomer: async (tenantId, customerId) => {
      if (opts.activeCustomers && !opts.activeCustomers.has(`${tenantId}/${customerId}`)) throw notFound('Customer');
    },
    customerInTenant: async (tenantId, customerId) => !opts.activeCustomers || opts.activeCustomers.has(`${tenantId}/${customerId}`),
    rulesOf: async () => DEFAULT_KYC_RULES,
    checks: opts.checks === undefined ? markerChecks() : opts.checks,
    audit: { record: (event: unknown) => void records.push(event) } as unknown as KycDeps['audit'],
  };
  return {
    mongo,
    deps,
    audit: { records },
    async drop() {
      await mongo.db.dropDatabase();
      await mongo.close();
    },
  };
}

export const customerOf = (tenantId: string = randomUUID()): Identity => ({ subject: randomUUID(), kind: 'customer', tenantId, scopes: [] });
export const clientOf = (tenantId: string, scopes = ['customers:write']): Identity => ({ subject: randomUUID(), kind: 'api_client', tenantId, scopes });
export const operator: Identity = { subject: 'ops-kyc', kind: 'operator', tenantId: null, scopes: [] };
export const service: Identity = { subject: 'accounts', kind: 'service', tenantId: null, scopes: [] };
