/** The PII contexts: bound into every ciphertext and blind index, so values cannot move between fields or tenants. */
export const piiContext = (field: 'taxId' | 'email' | 'phone', tenantId: string) => `customer.${field}:${tenantId}`;

/** The blind index of a sign-in destination: the same value as the customer's emailIndex / phoneIndex. */
export function destinationIndex(vault: { blindIndex(value: string, context: string): string }, req: { tenantId: string; channel: 'EMAIL' | 'SMS'; destination: string }): string {
  return vault.blindIndex(req.destination, piiContext(req.channel === 'EMAIL' ? 'email' : 'phone', req.tenantId));
}
