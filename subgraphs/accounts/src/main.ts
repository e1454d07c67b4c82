import { runService } from '@baas/server';
import { accountsConfigSchema } from './config';
import { createAccountsSubgraph } from './create-accounts-subgraph';

await runService({ service: 'accounts', schema: accountsConfigSchema, start: createAccountsSubgraph });
