// Internal: the one decimal grammar shared by amounts and rates, so both reject the same inputs.
// Optional "-", an integer part without superfluous leading zeros, optional "." followed by at least one digit.
// ASCII digits only: \d would be fine without the u flag, but [0-9] states the intent.
const DECIMAL = /^(-?)(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;

/** A decimal string split into a signed unscaled integer and the count of fraction digits it had. */
export type ParsedDecimal = { readonly unscaled: bigint; readonly scale: number };

/** Parses "-12.340" into { unscaled: -12340n, scale: 3 }; undefined when the text is not in the grammar. */
export function parseDecimal(text: string): ParsedDecimal | undefined {
  if (typeof text !== 'string') return undefined;
  const match = DECIMAL.exec(text);
  if (match === null) return undefined;
  const [, sign = '', integer = '', fraction = ''] = match;
  const magnitude = BigInt(integer + fraction);
  return { unscaled: sign === '-' ? -magnitude : magnitude, scale: fraction.length };
}

/** 10^exponent as a bigint. */
export function powerOfTen(exponent: number): bigint {
  return 10n ** BigInt(exponent);
}

/** A short, quoted rendering of untrusted input for error messages (bounded so it cannot flood a log line). */
export function quote(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : typeof value === 'bigint' ? `${value}n` : String(value);
  } catch {
    // Objects without a prototype (or with a throwing toString) cannot be stringified; the type still helps.
    text = `[${typeof value}]`;
  }
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}
