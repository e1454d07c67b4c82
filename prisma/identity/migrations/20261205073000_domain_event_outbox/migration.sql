-- Identity's domain events (identity.events.>, stream IDENTITY_EVENTS): a customer's identifiers as blind
-- indexes and digests, never clear PII, written in the same transaction as the change and relayed
-- by @baas/outbox (outboxMigrationSql: table, cursor, head, sequencing trigger, NOTIFY at commit).

-- Outbox identity.domain_event_outbox (@baas/outbox)
CREATE TABLE "identity"."domain_event_outbox" (
    "seq" BIGINT NOT NULL DEFAULT 0,
    "event_id" UUID NOT NULL,
    "subject" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "domain_event_outbox_pkey" PRIMARY KEY ("seq")
);
CREATE UNIQUE INDEX "domain_event_outbox_event_id_key" ON "identity"."domain_event_outbox"("event_id");
CREATE INDEX "domain_event_outbox_sent_at_seq_idx" ON "identity"."domain_event_outbox"("sent_at", "seq");

CREATE TABLE "identity"."domain_event_outbox_cursor" (
    "relay" TEXT NOT NULL,
    "last_seq" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "domain_event_outbox_cursor_pkey" PRIMARY KEY ("relay")
);

CREATE TABLE "identity"."domain_event_outbox_head" (
    "id" BOOLEAN NOT NULL DEFAULT true,
    "last_seq" BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT "domain_event_outbox_head_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "domain_event_outbox_head_one_row" CHECK ("id")
);
INSERT INTO "identity"."domain_event_outbox_head" ("id", "last_seq") VALUES (true, 0);

CREATE FUNCTION "identity"."domain_event_outbox_sequence"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "identity"."domain_event_outbox_head" SET "last_seq" = "last_seq" + 1 WHERE "id" RETURNING "last_seq" INTO NEW."seq";
  IF NEW."seq" IS NULL THEN
    RAISE EXCEPTION 'identity.domain_event_outbox_head has no row';
  END IF;
  PERFORM pg_notify('identity_domain_event_outbox', '');
  RETURN NEW;
END
$$;
CREATE TRIGGER "domain_event_outbox_sequence" BEFORE INSERT ON "identity"."domain_event_outbox" FOR EACH ROW EXECUTE FUNCTION "identity"."domain_event_outbox_sequence"();
