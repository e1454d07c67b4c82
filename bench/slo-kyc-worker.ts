// bench:slo's KYC screening checks, in a child process of the load generator (its own event loop, so
// the checks' CPU does not delay the scheduler's sends; IPC messages). KYC checks have no synchronous client API
// (they run in the kyc subgraph's workers after submitKycApplication), so the mix runs the check as
// bench/kyc.ts does: createModelKycChecks' screening over the fixture lists (OFAC SDN + alt, UN, PEP).
// Each message { n } is answered { n, outcome } or { n, error }.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildScreeningIndex, parseOfacSdnCsv, parsePepCsv, parseUnConsolidatedXml } from '../subgraphs/kyc/src/domain/screening/index';
import { createModelKycChecks, type FaceEnginePort, type OcrEnginePort } from '../subgraphs/kyc/src/use-cases/create-model-kyc-checks';

const SANCTIONS = fileURLToPath(new URL('../subgraphs/kyc/fixtures/sanctions/', import.meta.url));
const read = (f: string) => readFileSync(join(SANCTIONS, f), 'utf8');
const index = buildScreeningIndex([...parseOfacSdnCsv(read('sdn.csv'), read('alt.csv')), ...parseUnConsolidatedXml(read('un-consolidated.xml')), ...parsePepCsv(read('pep.csv'))]);
// Screening only: the OCR and face engines are never called.
const checks = createModelKycChecks({ ocr: {} as OcrEnginePort, face: {} as FaceEnginePort, screening: { index: async () => index, version: async () => 'bench' } });
const NAMES = ['João Conceição Araújo', 'Carlos Eduardo Malvado Ferreira', 'Maria Dolores Escobedo', 'Ana Beatriz Souza Lima'];

process.on('message', (m: { n: number }) => {
  checks
    .screening({ fullName: NAMES[m.n % NAMES.length]!, cpf: '52998224725', dateOfBirth: '1980-01-01', nationality: 'BR' })
    .then((r) => process.send!({ n: m.n, outcome: r.outcome }))
    .catch((e: unknown) => process.send!({ n: m.n, error: String(e) }));
});
process.send!({ ready: true });
process.on('disconnect', () => process.exit(0));
