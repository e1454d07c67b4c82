import type { Logger } from '@baas/observability';
import { LedgerUnavailableError, type LedgerClient } from '../clients/ledger/client';
import type { AccountsConfig } from '../config';
import { platformCurrencies } from '../domain/platform-currencies';
import type { PrismaClient } from '../generated/prisma/client';
import { ensureFxLiquidityAccounts } from '../sagas/fx-saga';
import { createAccountStore } from '../store/account-store';

export type PlatformAccountsDeps = { db: PrismaClient; ledger: LedgerClient; config: Pick<AccountsConfig, 'FX_MID_RATES' | 'DEFAULT_CURRENCIES'>; logger: Logger };

/**
 * Claims the platform's ledger accounts up front (idempotently: a restart replays), so that the
 * first FX conversion in a currency does not create them on demand. Their ids are derived (version 5,
 * the platform's id space, which `openAccount` refuses for client ids), so nobody can hold them
 * first; if the ledger still refuses one (an id taken before that rule, by data written by an
 * earlier version), that is logged as an error for operators, and FX in that currency fails with
 * a permanent error until it is resolved. Runs in the background, retrying while the ledger is down;
 * also warns once about accounts opened with an id of the platform's space before the rule existed.
 */
export function ensurePlatformAccounts(deps: PlatformAccountsDeps, retryMs = 2_000): { done: Promise<void>; stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  const sleep = () => new Promise<void>((resolve) => {
    wake = resolve;
    timer = setTimeout(resolve, retryMs);
  });
  const done = (async () => {
    try {
      const count = await createAccountStore(deps.db).countInPlatformIdSpace();
      if (count > 0) deps.logger.warn({ count }, 'accounts with ids in the platform id space (version 5) exist: opened before such ids were refused; check none holds a platform ledger account id');
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
