-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "cards";

-- CreateTable
CREATE TABLE "cards"."card" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "last4" CHAR(4) NOT NULL,
    "brand" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "card_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "card_customer_id_idx" ON "cards"."card"("customer_id");
