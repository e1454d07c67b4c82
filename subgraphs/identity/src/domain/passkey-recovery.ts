export type RecoveryStatus = 'PENDING' | 'EFFECTIVE' | 'CANCELLED' | 'COMPLETED';

/** Where a passkey recovery stands: cancelled, used, past its delay (EFFECTIVE) or still waiting (PENDING). */
export function recoveryStatus(row: { cancelledAt: Date | null; completedAt: Date | null; effectiveAt: Date }, now = new Date()): RecoveryStatus {
  if (row.cancelledAt) return 'CANCELLED';
  if (row.completedAt) return 'COMPLETED';
  return row.effectiveAt <= now ? 'EFFECTIVE' : 'PENDING';
}
