export {
  AccountNumberError,
  BRANCH_LENGTH,
  MAX_ACCOUNT_NUMBER_LENGTH,
  computeCheckDigit,
  formatAccount,
  nextAccountNumber,
  parseAccountReference,
  validateAccount,
  type AccountReference,
  type AccountReferenceError,
  type AccountReferenceErrorCode,
  type AccountReferenceResult,
} from './account-number';
export {
  CUSTOMER_RATE_SCALE,
  MAX_MID_RATE_SCALE,
  MAX_SPREAD_BPS,
  customerRate,
  formatRate,
  parseRate,
  quote,
  type FxQuote,
  type FxQuoteInput,
  type Rate,
} from './fx';
export {
  assertLimitInput,
  dayWindow,
  LIMIT_KINDS,
  limitsIn,
  localDate,
  parseStoredLimits,
  type DayWindow,
  type LimitCheckInput,
  type LimitCheckResult,
  type LimitKind,
  type LimitRefusal,
  type Limits,
  type LimitUsage,
  type StoredLimits,
} from './limits';
export {
  STATEMENT_CSV_COLUMNS,
  buildStatement,
  clientTransferId,
  csvField,
  describeEntry,
  neutraliseFormula,
  toCsv,
  type StatementEntry,
  type StatementRow,
} from './statement';
export { LEDGER_CODES, TRANSFER_CODES } from './ledger-codes';
export { defaultCurrencies, platformCurrencies } from './platform-currencies';
export { assertPlayMoneyDeployment, assertSandboxTenant, type SandboxStanding } from './sandbox';
