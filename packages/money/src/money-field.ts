/**
 * The GraphQL `Money` object every subgraph returns: integer minor units as a decimal string (a JSON
 * number would lose precision beyond 2^53) and the ISO 4217 code. The one place that shape is built.
 */
export type MoneyField = { readonly minorUnits: string; readonly currency: string };

export function moneyField(minorUnits: bigint | string, currency: string): MoneyField {
  const text = typeof minorUnits === 'bigint' ? minorUnits.toString() : minorUnits;
  if (!/^-?\d+$/.test(text)) throw new TypeError('moneyField: minor units must be an integer');
  return { minorUnits: text, currency };
}
