// The ledger's outbox relay as a process of its own (npm start runs it; relay-process.ts).
import { runService } from '@baas/server';
import { ledgerRelayConfigSchema } from '../config';
import { startLedgerRelayProcess } from './relay-process';

await runService({ service: 'ledger-relay', schema: ledgerRelayConfigSchema, start: startLedgerRelayProcess });
