import { LedgerUnavailableError } from '../clients/ledger/client';
import type { SagaDeps } from '../runtime';
import { ensureFxLiquidityAccounts } from './fx-service';

/** The currencies the platform books in: those of the configured FX rates and the default currencies. */
export function platformCurrencies(config: Pick<SagaDeps['config'], 'FX_MID_RATES' | 'DEFAULT_CURRENCIES'>): string[] {
  const fromRates = config.FX_MID_RATES.split(',').flatMap((pair) => (pair.split('=')[0] ?? '').split('/'));
  const all = [...fromRates, ...config.DEFAULT_CURRENCIES.split(',')].map((c) => c.trim().toUpperCase()).filter((c) => /^[A-Z]{3}$/.test(c));
  return [...new Set(all)].sort();
}

/**
 * Claims the platform's ledger accounts up front (idempotently: a restart replays), so that the
 * first FX conversion in a currency does not create them on demand. Their ids are derived (version 5,
 * the platform's id space, which `openAccount` refuses for client ids), so nobody can hold them
 * first; if the ledger still refuses one (an id taken before that rule, by data written by an
 * earlier version), that is logged as an error for operators, and FX in that currency fails with
 * a permanent error until it is resolved. Runs in the background, retrying while the ledger is down;
 * also warns once about accounts opened with an id of the platform's space before the rule existed.
 */
export function ensurePlatformAccounts(deps: Pick<SagaDeps, 'db' | 'ledger' | 'config' | 'logger'>, retryMs = 2_000): { done: Promise<void>; stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  const sleep = () => new Promise<void>((resolve) => {
    wake = resolve;
    timer = setTimeout(resolve, retryMs);
  });
  const done = (async () => {
    try {
      const [row] = await deps.db.$queryRaw<{ count: bigint }[]>`SELECT count(*) AS count FROM accounts.account WHERE substr(id::text, 15, 1) = '5'`;
      const count = row?.count ?? 0n;
      if (count > 0n) deps.logger.warn({ count: Number(count) }, 'accounts with ids in the platform id space (version 5) exist: opened before such ids were refused; check none holds a platform ledger account id');
    } catch (error) {
      deps.logger.warn({ err: error }, 'could not check account ids against the platform id space');
    }
    const currencies = platformCurrencies(deps.config);
    while (!stopped) {
      try {
        await ensureFxLiquidityAccounts(deps.ledger, currencies);
        deps.logger.info({ currencies }, 'platform ledger accounts ready');
        return;
      } catch (error) {
        if (!(error instanceof LedgerUnavailableError)) {
          deps.logger.error({ err: error, currencies }, 'the ledger refused a platform ledger account: its id is taken by an account with other attributes');
          return;
        }
        await sleep();
      }
    }
  })();
  return {
    done,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      wake?.();
      await done;
    },
  };
}
