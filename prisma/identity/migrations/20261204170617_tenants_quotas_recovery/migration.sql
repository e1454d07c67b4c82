-- AlterTable
ALTER TABLE "identity"."sign_in_challenge" ADD COLUMN     "code_of" UUID,
ADD COLUMN     "delivered" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "requester_index" TEXT;

-- AlterTable
ALTER TABLE "identity"."tenant" ADD COLUMN     "request_hash" TEXT;

-- CreateTable
CREATE TABLE "identity"."passkey_recovery" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "effective_at" TIMESTAMPTZ(3) NOT NULL,
    "cancelled_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),
    "request_hash" TEXT NOT NULL,

    CONSTRAINT "passkey_recovery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "passkey_recovery_customer_id_requested_at_idx" ON "identity"."passkey_recovery"("customer_id", "requested_at");

-- CreateIndex
CREATE INDEX "sign_in_challenge_requester_index_created_at_idx" ON "identity"."sign_in_challenge"("requester_index", "created_at");

-- Hand-written: challenges made before this column were delivered when they had a customer.
UPDATE "identity"."sign_in_challenge" SET "delivered" = true WHERE "customer_id" IS NOT NULL;
