import { missingRecord, requireIdentity, type Identity } from '@baas/auth';
import { demand } from '@baas/authz';
import { isUuid } from '@baas/server';
import { maySeeMoneyMovement } from '../permissions';
import type { FxQuoteRow, FxQuoteStore } from '../store/fx-quote-store';

/** A quote the caller may read (Query.fxQuote): operators and services all, a tenant's client its tenant's, a customer its own. */
export async function getFxQuote(deps: { quotes: Pick<FxQuoteStore, 'findById'> }, identity: Identity | null, args: { id: string }): Promise<FxQuoteRow> {
  const who = requireIdentity(identity);
  const row = isUuid(args.id) ? await deps.quotes.findById(args.id.toLowerCase()) : null;
  if (!row) throw missingRecord(who, 'FX quote');
  demand(maySeeMoneyMovement(who, row));
  return row;
}
