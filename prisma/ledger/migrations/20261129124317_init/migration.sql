-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "ledger";

-- CreateTable
CREATE TABLE "ledger"."ledger_account" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "code" INTEGER NOT NULL,
    "flags" INTEGER NOT NULL DEFAULT 0,
    "debits_posted" BIGINT NOT NULL DEFAULT 0,
    "credits_posted" BIGINT NOT NULL DEFAULT 0,
    "debits_pending" BIGINT NOT NULL DEFAULT 0,
    "credits_pending" BIGINT NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger"."transfer" (
    "id" UUID NOT NULL,
    "debit_account_id" UUID NOT NULL,
    "credit_account_id" UUID NOT NULL,
    "amount" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "code" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "transfer_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ledger_account_tenant_id_idx" ON "ledger"."ledger_account"("tenant_id");

-- CreateIndex
CREATE INDEX "transfer_debit_account_id_idx" ON "ledger"."transfer"("debit_account_id");

-- CreateIndex
CREATE INDEX "transfer_credit_account_id_idx" ON "ledger"."transfer"("credit_account_id");

-- AddForeignKey
ALTER TABLE "ledger"."transfer" ADD CONSTRAINT "transfer_debit_account_id_fkey" FOREIGN KEY ("debit_account_id") REFERENCES "ledger"."ledger_account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ledger"."transfer" ADD CONSTRAINT "transfer_credit_account_id_fkey" FOREIGN KEY ("credit_account_id") REFERENCES "ledger"."ledger_account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
