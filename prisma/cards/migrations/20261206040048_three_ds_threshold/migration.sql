-- AlterTable
ALTER TABLE "cards"."tenant_card_settings" ADD COLUMN     "require_three_ds_above" BIGINT;
