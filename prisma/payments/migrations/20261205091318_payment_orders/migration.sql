-- DropTable
DROP TABLE "payments"."payment";

-- CreateTable
CREATE TABLE "payments"."payment_order" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "ledger_account_id" UUID NOT NULL,
    "direction" TEXT NOT NULL,
    "rail" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'PAYMENT',
    "amount" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "fee_amount" BIGINT NOT NULL DEFAULT 0,
    "state" TEXT NOT NULL,
    "hold" TEXT NOT NULL DEFAULT 'NONE',
    "scheduled_for" TIMESTAMPTZ(3),
    "denial_reason" TEXT,
    "failure_reason" TEXT,
    "returned_amount" BIGINT NOT NULL DEFAULT 0,
    "returns" JSONB NOT NULL DEFAULT '[]',
    "history" JSONB NOT NULL DEFAULT '[]',
    "end_to_end_id" TEXT,
    "return_of_id" UUID,
    "counterparty" JSONB NOT NULL DEFAULT '{}',
    "counterparty_account_id" UUID,
    "pix_key" TEXT,
    "charge_txid" TEXT,
    "description" TEXT,
    "rail_data" JSONB NOT NULL DEFAULT '{}',
    "request_hash" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "settled_at" TIMESTAMPTZ(3),

    CONSTRAINT "payment_order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payments"."pix_key" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "key_type" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "active_value" TEXT,
    "status" TEXT NOT NULL,
    "holder_kind" TEXT NOT NULL,
    "otp_hash" TEXT,
    "otp_expires_at" TIMESTAMPTZ(3),
    "otp_attempts" INTEGER NOT NULL DEFAULT 0,
    "request_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "verified_at" TIMESTAMPTZ(3),
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "pix_key_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payments"."pix_key_claim" (
    "id" UUID NOT NULL,
    "claim_type" TEXT NOT NULL,
    "key_type" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "donor_key_id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "status" TEXT NOT NULL,
    "resolve_by" TIMESTAMPTZ(3) NOT NULL,
    "request_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),

    CONSTRAINT "pix_key_claim_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payments"."pix_charge" (
    "id" UUID NOT NULL,
    "txid" TEXT NOT NULL,
    "tenant_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "amount" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "pix_key" TEXT NOT NULL,
    "expiration" INTEGER NOT NULL,
    "due_date" TEXT,
    "rules" JSONB NOT NULL DEFAULT '{}',
    "payer_name" TEXT,
    "description" TEXT,
    "location_id" UUID NOT NULL,
    "paid_order_id" UUID,
    "paid_amount" BIGINT,
    "revision" INTEGER NOT NULL DEFAULT 0,
    "request_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "paid_at" TIMESTAMPTZ(3),

    CONSTRAINT "pix_charge_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payments"."med_case" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "blocked_amount" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "status" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "block" TEXT NOT NULL DEFAULT 'NONE',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),

    CONSTRAINT "med_case_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payments"."pix_limit_change" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "period" TEXT NOT NULL,
    "amount" BIGINT NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "effective_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "pix_limit_change_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payments"."pix_usage" (
    "customer_id" UUID NOT NULL,
    "day" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "amount" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "pix_usage_pkey" PRIMARY KEY ("customer_id","day","period")
);

-- CreateTable
CREATE TABLE "payments"."payment_event_outbox" (
    "seq" BIGINT NOT NULL DEFAULT 0,
    "event_id" UUID NOT NULL,
    "subject" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "payment_event_outbox_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "payments"."payment_event_outbox_cursor" (
    "relay" TEXT NOT NULL,
    "last_seq" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payment_event_outbox_cursor_pkey" PRIMARY KEY ("relay")
);

-- CreateTable
CREATE TABLE "payments"."payment_event_outbox_head" (
    "id" BOOLEAN NOT NULL DEFAULT true,
    "last_seq" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "payment_event_outbox_head_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "payment_order_tenant_id_customer_id_created_at_idx" ON "payments"."payment_order"("tenant_id", "customer_id", "created_at");

-- CreateIndex
CREATE INDEX "payment_order_account_id_created_at_idx" ON "payments"."payment_order"("account_id", "created_at");

-- CreateIndex
CREATE INDEX "payment_order_return_of_id_idx" ON "payments"."payment_order"("return_of_id");

-- CreateIndex
CREATE INDEX "payment_order_next_attempt_at_idx" ON "payments"."payment_order"("next_attempt_at");

-- CreateIndex
CREATE UNIQUE INDEX "payment_order_end_to_end_id_direction_key" ON "payments"."payment_order"("end_to_end_id", "direction");

-- CreateIndex
CREATE UNIQUE INDEX "pix_key_active_value_key" ON "payments"."pix_key"("active_value");

-- CreateIndex
CREATE INDEX "pix_key_account_id_status_idx" ON "payments"."pix_key"("account_id", "status");

-- CreateIndex
CREATE INDEX "pix_key_tenant_id_customer_id_idx" ON "payments"."pix_key"("tenant_id", "customer_id");

-- CreateIndex
CREATE INDEX "pix_key_claim_status_resolve_by_idx" ON "payments"."pix_key_claim"("status", "resolve_by");

-- CreateIndex
CREATE INDEX "pix_key_claim_donor_key_id_idx" ON "payments"."pix_key_claim"("donor_key_id");

-- CreateIndex
CREATE UNIQUE INDEX "pix_charge_txid_key" ON "payments"."pix_charge"("txid");

-- CreateIndex
CREATE UNIQUE INDEX "pix_charge_location_id_key" ON "payments"."pix_charge"("location_id");

-- CreateIndex
CREATE INDEX "pix_charge_tenant_id_customer_id_created_at_idx" ON "payments"."pix_charge"("tenant_id", "customer_id", "created_at");

-- CreateIndex
CREATE INDEX "med_case_order_id_idx" ON "payments"."med_case"("order_id");

-- CreateIndex
CREATE INDEX "med_case_tenant_id_customer_id_idx" ON "payments"."med_case"("tenant_id", "customer_id");

-- CreateIndex
CREATE INDEX "pix_limit_change_customer_id_period_requested_at_idx" ON "payments"."pix_limit_change"("customer_id", "period", "requested_at");

-- CreateIndex
CREATE UNIQUE INDEX "payment_event_outbox_event_id_key" ON "payments"."payment_event_outbox"("event_id");

-- CreateIndex
CREATE INDEX "payment_event_outbox_sent_at_seq_idx" ON "payments"."payment_event_outbox"("sent_at", "seq");

-- The outbox's head row and sequencing trigger (@baas/outbox outboxSequencingSql; NOTIFY at commit wakes the relay)
INSERT INTO "payments"."payment_event_outbox_head" ("id", "last_seq") VALUES (true, 0);

CREATE FUNCTION "payments"."payment_event_outbox_sequence"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "payments"."payment_event_outbox_head" SET "last_seq" = "last_seq" + 1 WHERE "id" RETURNING "last_seq" INTO NEW."seq";
  IF NEW."seq" IS NULL THEN
    RAISE EXCEPTION 'payments.payment_event_outbox_head has no row';
  END IF;
  PERFORM pg_notify('payments_payment_event_outbox', '');
  RETURN NEW;
END
$$;
CREATE TRIGGER "payment_event_outbox_sequence" BEFORE INSERT ON "payments"."payment_event_outbox" FOR EACH ROW EXECUTE FUNCTION "payments"."payment_event_outbox_sequence"();
