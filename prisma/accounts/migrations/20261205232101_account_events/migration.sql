-- CreateTable
CREATE TABLE "accounts"."account_event_outbox" (
    "seq" BIGINT NOT NULL DEFAULT 0,
    "event_id" UUID NOT NULL,
    "subject" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "account_event_outbox_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "accounts"."account_event_outbox_cursor" (
    "relay" TEXT NOT NULL,
    "last_seq" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "account_event_outbox_cursor_pkey" PRIMARY KEY ("relay")
);

-- CreateTable
CREATE TABLE "accounts"."account_event_outbox_head" (
    "id" BOOLEAN NOT NULL DEFAULT true,
    "last_seq" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "account_event_outbox_head_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "account_event_outbox_event_id_key" ON "accounts"."account_event_outbox"("event_id");

-- CreateIndex
CREATE INDEX "account_event_outbox_sent_at_seq_idx" ON "accounts"."account_event_outbox"("sent_at", "seq");

-- The outbox's head row and sequencing trigger (@baas/outbox outboxSequencingSql; NOTIFY at commit wakes the relay)
INSERT INTO "accounts"."account_event_outbox_head" ("id", "last_seq") VALUES (true, 0);

CREATE FUNCTION "accounts"."account_event_outbox_sequence"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "accounts"."account_event_outbox_head" SET "last_seq" = "last_seq" + 1 WHERE "id" RETURNING "last_seq" INTO NEW."seq";
  IF NEW."seq" IS NULL THEN
    RAISE EXCEPTION 'accounts.account_event_outbox_head has no row';
  END IF;
  PERFORM pg_notify('accounts_account_event_outbox', '');
  RETURN NEW;
END
$$;
CREATE TRIGGER "account_event_outbox_sequence" BEFORE INSERT ON "accounts"."account_event_outbox" FOR EACH ROW EXECUTE FUNCTION "accounts"."account_event_outbox_sequence"();
