-- AlterTable
ALTER TABLE "accounts"."account" ADD COLUMN     "closed_at" TIMESTAMPTZ(3),
ADD COLUMN     "request_hash" TEXT;

-- CreateTable
CREATE TABLE "accounts"."account_number_counter" (
    "branch" TEXT NOT NULL,
    "next" BIGINT NOT NULL DEFAULT 1,

    CONSTRAINT "account_number_counter_pkey" PRIMARY KEY ("branch")
);

-- CreateTable
CREATE TABLE "accounts"."tenant_settings" (
    "tenant_id" UUID NOT NULL,
    "currencies" TEXT[] DEFAULT ARRAY['BRL']::TEXT[],
    "limits" JSONB NOT NULL DEFAULT '{}',
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tenant_settings_pkey" PRIMARY KEY ("tenant_id")
);

-- CreateTable
CREATE TABLE "accounts"."transfer_saga" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "tenant_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "from_account_id" UUID,
    "to_account_id" UUID NOT NULL,
    "amount" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "description" TEXT,
    "state" TEXT NOT NULL DEFAULT 'PENDING',
    "step" TEXT,
    "failure_code" TEXT,
    "usage_day" TEXT,
    "quote_id" UUID,
    "request_hash" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lease_until" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "transfer_saga_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "accounts"."daily_usage" (
    "scope" TEXT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "day" TEXT NOT NULL,
    "amount" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "daily_usage_pkey" PRIMARY KEY ("scope","currency","day")
);

-- CreateTable
CREATE TABLE "accounts"."fx_quote" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "from_account_id" UUID NOT NULL,
    "to_account_id" UUID NOT NULL,
    "sell_amount" BIGINT NOT NULL,
    "sell_currency" CHAR(3) NOT NULL,
    "buy_amount" BIGINT NOT NULL,
    "buy_currency" CHAR(3) NOT NULL,
    "mid_rate" TEXT NOT NULL,
    "rate" TEXT NOT NULL,
    "spread_bps" INTEGER NOT NULL,
    "spread_amount" BIGINT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "executed_by" UUID,
    "request_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "fx_quote_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "transfer_saga_state_updated_at_idx" ON "accounts"."transfer_saga"("state", "updated_at");

-- CreateIndex
CREATE INDEX "transfer_saga_from_account_id_created_at_idx" ON "accounts"."transfer_saga"("from_account_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "fx_quote_executed_by_key" ON "accounts"."fx_quote"("executed_by");

-- CreateIndex
CREATE INDEX "fx_quote_customer_id_idx" ON "accounts"."fx_quote"("customer_id");
