import { badInput } from '@baas/errors';
import { parseBoleto } from '../domain/boleto';
import { localDateOf } from '../domain/business-days';

/** `parseBoleto`: a slip's fields as read from its digitable line or barcode (check digits, due-date factor, amount), without paying it. */
export function readBoleto(line: string) {
  if (typeof line !== 'string') throw badInput('line is required.', { field: 'line' });
  const slip = parseBoleto(line, { referenceDate: localDateOf(new Date()), field: 'line' });
  return { barcode: slip.barcode, digitableLine: slip.digitableLine, kind: slip.kind, bankCode: slip.bankCode, amount: slip.amount > 0n ? slip.amount : null, dueDate: slip.dueDate };
}
