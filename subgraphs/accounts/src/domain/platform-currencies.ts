/** The currencies the platform books in: those of the configured FX rates and the default currencies. */
export function platformCurrencies(config: { FX_MID_RATES: string; DEFAULT_CURRENCIES: string }): string[] {
  const fromRates = config.FX_MID_RATES.split(',').flatMap((pair) => (pair.split('=')[0] ?? '').split('/'));
  const all = [...fromRates, ...config.DEFAULT_CURRENCIES.split(',')].map((c) => c.trim().toUpperCase()).filter((c) => /^[A-Z]{3}$/.test(c));
  return [...new Set(all)].sort();
}

/** The currencies a tenant without settings may open accounts in (DEFAULT_CURRENCIES). */
export function defaultCurrencies(config: { DEFAULT_CURRENCIES: string }): string[] {
  return config.DEFAULT_CURRENCIES.split(',').map((c) => c.trim().toUpperCase()).filter(Boolean);
}
