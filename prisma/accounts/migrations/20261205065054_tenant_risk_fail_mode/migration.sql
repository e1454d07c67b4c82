-- AlterTable
ALTER TABLE "accounts"."tenant_settings" ADD COLUMN     "risk_fail_mode" TEXT NOT NULL DEFAULT 'OPEN';

-- Only the two modes (written by hand: CHECK constraints cannot be said in Prisma).
ALTER TABLE "accounts"."tenant_settings" ADD CONSTRAINT "tenant_settings_risk_fail_mode_check" CHECK ("risk_fail_mode" IN ('OPEN', 'CLOSED'));
