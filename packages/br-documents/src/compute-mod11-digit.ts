/**
 * One Receita Federal modulo-11 check digit over `values` (already mapped to numbers).
 *
 * Weights start at 2 on the rightmost value and grow by one to the left; with `cycleAt` they wrap back to 2
 * after reaching it (CNPJ: 2..9), without it they keep growing (CPF: 2..10, then 2..11).
 * A remainder below 2 gives 0, anything else gives 11 - remainder, so the result is always 0-9.
 */
export function computeMod11Digit(options: { values: readonly number[]; cycleAt?: number }): number {
  const { values, cycleAt } = options;
  let sum = 0;
  for (let fromRight = 0; fromRight < values.length; fromRight += 1) {
    const weight = cycleAt === undefined ? 2 + fromRight : 2 + (fromRight % (cycleAt - 1));
    sum += (values[values.length - 1 - fromRight] ?? 0) * weight;
  }
  const remainder = sum % 11;
  return remainder < 2 ? 0 : 11 - remainder;
}
