// Issues a virtual card on a funded sandbox account and plays the card network: an authorisation,
// its capture, and a refund. Run against `npm start`:
//   BAAS_OPERATOR_TOKEN=$(npx tsx scripts/mint-token.ts --kind operator --subject ops-1) \
//     npx tsx packages/sdk/examples/sandbox-card-authorisation.ts
import { randomUUID } from 'node:crypto';
import { FundSandboxAccountDocument, IssueCardDocument, OpenAccountDocument, SimulateCardTransactionDocument } from '@baas/sdk';
import { operatorClient, sandbox } from './setup';

const { customer } = await sandbox(['accounts:write', 'cards:write']);
const accountId = randomUUID();
await customer.request(OpenAccountDocument, { input: { id: accountId, currency: 'BRL' } });
await operatorClient().request(FundSandboxAccountDocument, { input: { id: randomUUID(), accountId, amount: '50000' } });

const { issueCard } = await customer.request(IssueCardDocument, { input: { id: randomUUID(), accountId, form: 'VIRTUAL' } });
console.log(`card ${issueCard.id} issued: ${issueCard.state}`);

const network = (input: { type: 'AUTHORIZATION' | 'CAPTURE' | 'REFUND'; amount: string; authorizationId?: string }) =>
  customer.request(SimulateCardTransactionDocument, { input: { id: randomUUID(), cardId: issueCard.id, mcc: '5411', merchant: 'Mercado Azul', country: 'BR', ...input } });

const auth = await network({ type: 'AUTHORIZATION', amount: '1990' });
console.log(`authorisation: approved=${auth.simulateCardTransaction.approved} DE39=${auth.simulateCardTransaction.responseCode}`);
const authorizationId = auth.simulateCardTransaction.authorization?.id;
if (!authorizationId) throw new Error('declined: no authorisation to capture');
const capture = await network({ type: 'CAPTURE', amount: '1990', authorizationId });
console.log(`capture: DE39=${capture.simulateCardTransaction.responseCode}`);
const refund = await network({ type: 'REFUND', amount: '1990', authorizationId });
console.log(`refund: DE39=${refund.simulateCardTransaction.responseCode}`);
