-- CreateTable
CREATE TABLE "cards"."three_ds_challenge" (
    "id" UUID NOT NULL,
    "card_id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "amount" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "merchant" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "code_hash" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "request_hash" TEXT NOT NULL,
    "authorization_id" UUID,
    "verified_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "three_ds_challenge_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "three_ds_challenge_authorization_id_key" ON "cards"."three_ds_challenge"("authorization_id");

-- CreateIndex
CREATE INDEX "three_ds_challenge_card_id_created_at_idx" ON "cards"."three_ds_challenge"("card_id", "created_at");
