// Opens two BRL accounts for a new customer, funds one in the sandbox, and moves R$ 250,00 between
// them with an idempotency key, sent twice: one movement. Run against `npm start`:
//   BAAS_OPERATOR_TOKEN=$(npx tsx scripts/mint-token.ts --kind operator --subject ops-1) \
//     npx tsx packages/sdk/examples/open-account-and-transfer.ts
import { randomUUID } from 'node:crypto';
import { AccountByIdDocument, FundSandboxAccountDocument, isBaasError, OpenAccountDocument, TransferDocument } from '@baas/sdk';
import { operatorClient, sandbox } from './setup';

const brl = (minorUnits: string | null | undefined) => `R$ ${(Number(BigInt(minorUnits ?? '0')) / 100).toFixed(2)}`; // display only

const { customer } = await sandbox(['accounts:write']);
const [from, to] = [randomUUID(), randomUUID()];
for (const id of [from, to]) {
  const { openAccount } = await customer.request(OpenAccountDocument, { input: { id, currency: 'BRL' } });
  console.log(`opened ${openAccount.account.branch}/${openAccount.account.number}-${openAccount.account.checkDigit} (${openAccount.status})`);
}

await operatorClient().request(FundSandboxAccountDocument, { input: { id: randomUUID(), accountId: from, amount: '100000' } });
console.log('sandbox funded R$ 1000.00');

const input = { id: randomUUID(), fromAccountId: from, toAccountId: to, amount: '25000', description: 'Rent share' };
const first = await customer.request(TransferDocument, { input });
const again = await customer.request(TransferDocument, { input }); // a retry after a timeout: same id, same transfer
console.log(`transfer ${first.transfer.id}: ${first.transfer.status}; repeated: ${again.transfer.id === first.transfer.id ? 'the same transfer' : 'a second one?!'}`);

try {
  await customer.request(TransferDocument, { input: { ...input, id: randomUUID(), amount: '99999999' } });
} catch (error) {
  if (!isBaasError(error)) throw error;
  console.log(`a transfer over the balance is refused: ${error.code}`);
}

for (const id of [from, to]) {
  const { account } = await customer.request(AccountByIdDocument, { id });
  console.log(`${id}: posted ${brl(account?.balance.posted.minorUnits)}, available ${brl(account?.balance.available.minorUnits)}`);
}
