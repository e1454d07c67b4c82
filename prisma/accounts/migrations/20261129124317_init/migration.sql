-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "accounts";

-- CreateTable
CREATE TABLE "accounts"."account" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "branch" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "check_digit" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'ACTIVE',
    "ledger_account_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "account_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "account_customer_id_idx" ON "accounts"."account"("customer_id");

-- CreateIndex
CREATE INDEX "account_tenant_id_idx" ON "accounts"."account"("tenant_id");

-- CreateIndex
CREATE UNIQUE INDEX "account_branch_number_key" ON "accounts"."account"("branch", "number");
