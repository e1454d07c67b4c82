/**
 * The fraud model's input, exactly models/risk/fraud-features.json (version 1): 22 float32 values
 * in this order, every one finite, each feature's 'absent' value when its source has nothing.
 * Money stays bigint minor units; log1p and ratios are floats only because they are model inputs.
 * Pure: the velocity snapshot comes from Redis (store/velocity-store.ts), the graph features from
 * the scans' cache (store/graph-feature-cache.ts), both read by the use case.
 */
export const FRAUD_FEATURES_CONTRACT_VERSION = 1;

export const FRAUD_FEATURE_NAMES = [
  'payer_out_count_1h',
  'payer_out_count_24h',
  'payer_out_sum_1h_log',
  'payer_out_sum_24h_log',
  'payee_in_count_1h',
  'payee_in_count_24h',
  'payee_in_sum_1h_log',
  'payee_in_sum_24h_log',
  'new_payee',
  'device_change',
  'ip_change',
  'amount_log',
  'amount_to_avg_30d',
  'account_age_days',
  'hour_local',
  'rail',
  'shared_identifier_degree',
  'ring_size',
  'payer_fraud_distance',
  'payee_fraud_distance',
  'payer_mule_score',
  'payee_mule_score',
] as const;

export type FraudFeatureName = (typeof FRAUD_FEATURE_NAMES)[number];
export const FRAUD_FEATURE_COUNT = FRAUD_FEATURE_NAMES.length;
export const FEATURE_INDEX = Object.fromEntries(FRAUD_FEATURE_NAMES.map((n, i) => [n, i])) as Record<FraudFeatureName, number>;

export const RAILS = ['TRANSFER', 'FX', 'PIX', 'TED', 'WIRE', 'CARD'] as const;
export type Rail = (typeof RAILS)[number];

/** 0 book transfer or FX between platform accounts, 1 PIX, 2 TED or wire, 3 card payment. */
export const RAIL_CODE: Record<Rail, number> = { TRANSFER: 0, FX: 0, PIX: 1, TED: 2, WIRE: 2, CARD: 3 };

export const DEFAULT_TIME_ZONE = 'America/Sao_Paulo';
export const RATIO_CAP = 1000;
export const AGE_CAP_DAYS = 3650;
export const GRAPH_COUNT_CAP = 100;
export const NO_FRAUD_DISTANCE = 6;
const DAY_MS = 86_400_000;

/** Count and integer sum (minor units) of the movements in one window. */
export type WindowTotals = { count: number; sum: bigint };

/** What Redis knew before this movement (store/velocity-store.ts). */
export type VelocitySnapshot = {
  payerOut1h: WindowTotals;
  payerOut24h: WindowTotals;
  /** The payer account's outgoing movements over 30 days, for its mean amount. */
  payerOut30d: WindowTotals;
  /** Zero totals when there is no payee. */
  payeeIn1h: WindowTotals;
  payeeIn24h: WindowTotals;
  /** Whether the payer account paid this payee in the last 180 days; null when there is no payee. */
  payeeKnown: boolean | null;
  /** Whether the request's device / IP was seen for this customer in 90 days; null when none was sent. */
  deviceSeen: boolean | null;
  ipSeen: boolean | null;
  /** When the payer account was opened (from the request, or remembered from an earlier one); null if unknown. */
  accountOpenedAt: Date | null;
};

export type CustomerGraphFeatures = { sharedIdentifierDegree: number; ringSize: number; fraudDistance: number };
export type AccountGraphFeatures = { fraudDistance: number; muleScore: number };
export type GraphFeatureSnapshot = { customer: CustomerGraphFeatures | null; payer: AccountGraphFeatures | null; payee: AccountGraphFeatures | null };

export type FeatureInputs = {
  amount: bigint;
  rail: Rail;
  occurredAt: Date;
  /** The clock the windows and the account age are measured at. */
  now: Date;
  velocity: VelocitySnapshot;
  graph: GraphFeatureSnapshot;
  timeZone?: string;
  /** A fixed local hour instead of occurredAt's (RISK_LOCAL_HOUR: test platforms, so no verdict depends on when the suite runs). */
  localHour?: number;
};

/** log1p of minor units, computed in float64 (then cast to float32 by the vector). */
export function log1pMinor(amount: bigint): number {
  return amount <= 0n ? 0 : Math.log1p(Number(amount));
}

/** amount / (sum / count), capped at 1000; -1 without history. The division is on bigints (millionths). */
export function amountToAverage(amount: bigint, history: WindowTotals): number {
  if (history.count <= 0 || history.sum <= 0n) return -1;
  const capMillionths = BigInt(RATIO_CAP) * 1_000_000n;
  const millionths = (amount * BigInt(history.count) * 1_000_000n) / history.sum;
  return Number(millionths > capMillionths ? capMillionths : millionths) / 1_000_000;
}

export function accountAgeDays(openedAt: Date | null, now: Date): number {
  if (!openedAt || !Number.isFinite(openedAt.getTime())) return 0;
  const days = (now.getTime() - openedAt.getTime()) / DAY_MS;
  return clamp(days, 0, AGE_CAP_DAYS);
}

const hourFormats = new Map<string, Intl.DateTimeFormat>();

/** Hour 0-23 of `at` in `timeZone` (IANA; default America/Sao_Paulo). */
export function hourLocal(at: Date, timeZone = DEFAULT_TIME_ZONE): number {
  let fmt = hourFormats.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', hourCycle: 'h23' });
    hourFormats.set(timeZone, fmt);
  }
  const hour = Number(fmt.format(at));
  return hour === 24 ? 0 : hour;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/** A cached value made safe: not finite -> the absent value; otherwise clamped to its range. */
function graphValue(v: number | undefined, absent: number, lo: number, hi: number): number {
  return v === undefined || !Number.isFinite(v) ? absent : clamp(v, lo, hi);
}

/** The 22 features, in contract order, as float32. */
export function buildFraudFeatures(x: FeatureInputs): Float32Array {
  const v = x.velocity;
  const c = x.graph.customer;
  const f = new Float32Array(FRAUD_FEATURE_COUNT);
  f[0] = v.payerOut1h.count;
  f[1] = v.payerOut24h.count;
  f[2] = log1pMinor(v.payerOut1h.sum);
  f[3] = log1pMinor(v.payerOut24h.sum);
  f[4] = v.payeeIn1h.count;
  f[5] = v.payeeIn24h.count;
  f[6] = log1pMinor(v.payeeIn1h.sum);
  f[7] = log1pMinor(v.payeeIn24h.sum);
  f[8] = v.payeeKnown === true ? 0 : 1;
  f[9] = v.deviceSeen === false ? 1 : 0;
  f[10] = v.ipSeen === false ? 1 : 0;
  f[11] = log1pMinor(x.amount);
  f[12] = amountToAverage(x.amount, v.payerOut30d);
  f[13] = accountAgeDays(v.accountOpenedAt, x.now);
  f[14] = x.localHour ?? hourLocal(x.occurredAt, x.timeZone);
  f[15] = RAIL_CODE[x.rail];
  f[16] = graphValue(c?.sharedIdentifierDegree, 0, 0, GRAPH_COUNT_CAP);
  f[17] = graphValue(c?.ringSize, 1, 1, GRAPH_COUNT_CAP);
  // The payer's customer, or the payer account itself when it is nearer (an account confirmed as fraud).
  f[18] = Math.min(graphValue(c?.fraudDistance, NO_FRAUD_DISTANCE, 0, NO_FRAUD_DISTANCE), graphValue(x.graph.payer?.fraudDistance, NO_FRAUD_DISTANCE, 0, NO_FRAUD_DISTANCE));
  f[19] = graphValue(x.graph.payee?.fraudDistance, NO_FRAUD_DISTANCE, 0, NO_FRAUD_DISTANCE);
  f[20] = graphValue(x.graph.payer?.muleScore, 0, 0, 1);
  f[21] = graphValue(x.graph.payee?.muleScore, 0, 0, 1);
  return f;
}

/** The vector as a name -> value record (for reasons and explanations). */
export function featureRecord(f: ArrayLike<number>): Record<FraudFeatureName, number> {
  return Object.fromEntries(FRAUD_FEATURE_NAMES.map((n, i) => [n, f[i]!])) as Record<FraudFeatureName, number>;
}
