-- AlterTable
ALTER TABLE "payments"."med_case" ADD COLUMN     "receiver_account_id" UUID,
ADD COLUMN     "receiver_customer_id" UUID,
ADD COLUMN     "receiver_tenant_id" UUID;

-- CreateIndex
CREATE INDEX "med_case_receiver_account_id_idx" ON "payments"."med_case"("receiver_account_id");
