-- DropIndex
DROP INDEX "cards"."card_customer_id_idx";

-- AlterTable
ALTER TABLE "cards"."card" DROP COLUMN "status",
ADD COLUMN     "activated_at" TIMESTAMPTZ(3),
ADD COLUMN     "close_reason" TEXT,
ADD COLUMN     "closed_at" TIMESTAMPTZ(3),
ADD COLUMN     "controls" TEXT NOT NULL DEFAULT '{}',
ADD COLUMN     "currency" CHAR(3) NOT NULL,
ADD COLUMN     "expiry" CHAR(4) NOT NULL,
ADD COLUMN     "first6" CHAR(6) NOT NULL,
ADD COLUMN     "form" TEXT NOT NULL,
ADD COLUMN     "fulfilment" TEXT,
ADD COLUMN     "ledger_account_id" UUID NOT NULL,
ADD COLUMN     "pan_index" TEXT NOT NULL,
ADD COLUMN     "replaced_by_id" UUID,
ADD COLUMN     "replaces_card_id" UUID,
ADD COLUMN     "request_hash" TEXT NOT NULL,
ADD COLUMN     "state" TEXT NOT NULL,
ADD COLUMN     "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateTable
CREATE TABLE "cards"."card_vault" (
    "card_id" UUID NOT NULL,
    "sealed_pan" TEXT NOT NULL,
    "key_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "card_vault_pkey" PRIMARY KEY ("card_id")
);

-- CreateTable
CREATE TABLE "cards"."card_sequence" (
    "bin" TEXT NOT NULL,
    "next" BIGINT NOT NULL DEFAULT 1,

    CONSTRAINT "card_sequence_pkey" PRIMARY KEY ("bin")
);

-- CreateTable
CREATE TABLE "cards"."tenant_card_settings" (
    "tenant_id" UUID NOT NULL,
    "controls" TEXT NOT NULL DEFAULT '{}',
    "decision_url" TEXT,
    "decision_secret" TEXT,
    "decision_timeout_ms" INTEGER NOT NULL DEFAULT 1500,
    "stand_in" TEXT NOT NULL DEFAULT 'DECLINE',
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tenant_card_settings_pkey" PRIMARY KEY ("tenant_id")
);

-- CreateTable
CREATE TABLE "cards"."network_token" (
    "id" UUID NOT NULL,
    "card_id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "wallet" TEXT NOT NULL,
    "device_id" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "last4" CHAR(4) NOT NULL,
    "token_index" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "network_token_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cards"."card_authorization" (
    "id" UUID NOT NULL,
    "card_id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "rrn" TEXT NOT NULL,
    "stan" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "amount" BIGINT NOT NULL,
    "captured" BIGINT NOT NULL DEFAULT 0,
    "released" BIGINT NOT NULL DEFAULT 0,
    "currency" CHAR(3) NOT NULL,
    "mcc" CHAR(4) NOT NULL,
    "merchant" TEXT,
    "country" CHAR(3) NOT NULL,
    "channel" TEXT NOT NULL,
    "response_code" CHAR(2) NOT NULL,
    "decline_reason" TEXT,
    "approval_code" TEXT,
    "risk_score_bps" INTEGER,
    "decided_by" TEXT,
    "holds" INTEGER NOT NULL DEFAULT 0,
    "expires_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "card_authorization_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cards"."card_transaction" (
    "id" UUID NOT NULL,
    "card_id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "authorization_id" UUID,
    "kind" TEXT NOT NULL,
    "amount" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "network_key" TEXT NOT NULL,
    "ledger_transfer_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "card_transaction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cards"."card_event_outbox" (
    "seq" BIGINT NOT NULL DEFAULT 0,
    "event_id" UUID NOT NULL,
    "subject" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "card_event_outbox_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "cards"."card_event_outbox_cursor" (
    "relay" TEXT NOT NULL,
    "last_seq" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "card_event_outbox_cursor_pkey" PRIMARY KEY ("relay")
);

-- CreateTable
CREATE TABLE "cards"."card_event_outbox_head" (
    "id" BOOLEAN NOT NULL DEFAULT true,
    "last_seq" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "card_event_outbox_head_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "network_token_token_index_key" ON "cards"."network_token"("token_index");

-- CreateIndex
CREATE UNIQUE INDEX "network_token_card_id_wallet_device_id_key" ON "cards"."network_token"("card_id", "wallet", "device_id");

-- CreateIndex
CREATE INDEX "card_authorization_tenant_id_customer_id_created_at_idx" ON "cards"."card_authorization"("tenant_id", "customer_id", "created_at");

-- CreateIndex
CREATE INDEX "card_authorization_state_expires_at_idx" ON "cards"."card_authorization"("state", "expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "card_authorization_card_id_rrn_key" ON "cards"."card_authorization"("card_id", "rrn");

-- CreateIndex
CREATE UNIQUE INDEX "card_transaction_network_key_key" ON "cards"."card_transaction"("network_key");

-- CreateIndex
CREATE INDEX "card_transaction_card_id_created_at_idx" ON "cards"."card_transaction"("card_id", "created_at");

-- CreateIndex
CREATE INDEX "card_transaction_authorization_id_idx" ON "cards"."card_transaction"("authorization_id");

-- CreateIndex
CREATE UNIQUE INDEX "card_event_outbox_event_id_key" ON "cards"."card_event_outbox"("event_id");

-- CreateIndex
CREATE INDEX "card_event_outbox_sent_at_seq_idx" ON "cards"."card_event_outbox"("sent_at", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "card_pan_index_key" ON "cards"."card"("pan_index");

-- CreateIndex
CREATE UNIQUE INDEX "card_replaces_card_id_key" ON "cards"."card"("replaces_card_id");

-- CreateIndex
CREATE INDEX "card_tenant_id_customer_id_idx" ON "cards"."card"("tenant_id", "customer_id");

-- CreateIndex
CREATE INDEX "card_account_id_idx" ON "cards"."card"("account_id");

-- The outbox's head row and sequencing trigger (@baas/outbox outboxSequencingSql; NOTIFY at commit wakes the relay)
INSERT INTO "cards"."card_event_outbox_head" ("id", "last_seq") VALUES (true, 0);

CREATE FUNCTION "cards"."card_event_outbox_sequence"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "cards"."card_event_outbox_head" SET "last_seq" = "last_seq" + 1 WHERE "id" RETURNING "last_seq" INTO NEW."seq";
  IF NEW."seq" IS NULL THEN
    RAISE EXCEPTION 'cards.card_event_outbox_head has no row';
  END IF;
  PERFORM pg_notify('cards_card_event_outbox', '');
  RETURN NEW;
END
$$;
CREATE TRIGGER "card_event_outbox_sequence" BEFORE INSERT ON "cards"."card_event_outbox" FOR EACH ROW EXECUTE FUNCTION "cards"."card_event_outbox_sequence"();
