-- AlterTable
ALTER TABLE "accounts"."tenant_settings" ADD COLUMN     "require_kyc_level" INTEGER NOT NULL DEFAULT 0;

-- A level in range (written by hand: CHECK constraints cannot be said in Prisma); 0 = not required.
ALTER TABLE "accounts"."tenant_settings" ADD CONSTRAINT "tenant_settings_require_kyc_level_check" CHECK ("require_kyc_level" BETWEEN 0 AND 9);
