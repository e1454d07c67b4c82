export { MoneyError, isMoneyError, type MoneyErrorCode } from './errors';
export {
  CURRENCIES,
  getCurrency,
  getCurrencyByNumericCode,
  isCurrencyCode,
  type Currency,
} from './currencies';
export { ROUNDING_MODES, divideRounded, isRoundingMode, type RoundingMode } from './rounding';
export {
  abs,
  add,
  assertMoney,
  compare,
  divide,
  equals,
  isMoney,
  isNegative,
  isPositive,
  isZero,
  money,
  multiply,
  multiplyByRate,
  negate,
  subtract,
  sum,
  zero,
  type Money,
} from './money';
export { formatMoney, formatMoneyLocale, parseMinorUnits, parseMoney, type CurrencyDisplay } from './parse-format';
export { allocate, splitEvenly } from './allocate';
export { INT64_MAX, isAmountInRange, parseAmount, type AmountSign } from './parse-amount';
export { moneyField, type MoneyField } from './money-field';
