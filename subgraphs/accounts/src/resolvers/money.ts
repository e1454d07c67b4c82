/** Money as GraphQL shows it: minor units as a decimal string, and the currency. */
export const money = (minorUnits: bigint | string, currency: string) => ({ minorUnits: minorUnits.toString(), currency });
