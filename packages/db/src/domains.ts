/** The domains owning a Postgres schema each, in the order they are migrated. */
export const DOMAINS = ['identity', 'accounts', 'ledger', 'payments', 'cards', 'webhooks'] as const;

export type Domain = (typeof DOMAINS)[number];
