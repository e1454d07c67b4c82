import { runService } from '@baas/server';
import { ledgerConfigSchema } from './config';
import { createLedgerSubgraph } from './create-ledger-subgraph';

await runService({ service: 'ledger', schema: ledgerConfigSchema, start: createLedgerSubgraph });
