-- The notification outbox moves onto @baas/outbox (one relay design for every outbox): rows get a
-- gapless seq in commit order (the notification_outbox_sequence trigger), the relay a cursor over it
-- (notification_outbox_cursor) under an advisory lock, instead of claiming rows FOR UPDATE SKIP LOCKED.

-- DropIndex
DROP INDEX "identity"."notification_outbox_sent_at_created_at_idx";

-- AlterTable: existing rows are numbered in creation order.
ALTER TABLE "identity"."notification_outbox" ADD COLUMN     "seq" BIGINT;
UPDATE "identity"."notification_outbox" o SET "seq" = n.seq
  FROM (SELECT "id", row_number() OVER (ORDER BY "created_at", "id") AS seq FROM "identity"."notification_outbox") n
 WHERE o."id" = n."id";
ALTER TABLE "identity"."notification_outbox" ALTER COLUMN "seq" SET NOT NULL, ALTER COLUMN "seq" SET DEFAULT 0;

-- CreateTable
CREATE TABLE "identity"."notification_outbox_cursor" (
    "relay" TEXT NOT NULL,
    "last_seq" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_outbox_cursor_pkey" PRIMARY KEY ("relay")
);

-- The default relay starts after the rows already sent, before the first one still unsent.
INSERT INTO "identity"."notification_outbox_cursor" ("relay", "last_seq")
SELECT 'jetstream', coalesce(min("seq") FILTER (WHERE "sent_at" IS NULL) - 1, max("seq"), 0) FROM "identity"."notification_outbox";

-- CreateTable
CREATE TABLE "identity"."notification_outbox_head" (
    "id" BOOLEAN NOT NULL DEFAULT true,
    "last_seq" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "notification_outbox_head_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "notification_outbox_head_one_row" CHECK ("id")
);
INSERT INTO "identity"."notification_outbox_head" ("id", "last_seq")
SELECT true, coalesce(max("seq"), 0) FROM "identity"."notification_outbox";

-- CreateIndex
CREATE UNIQUE INDEX "notification_outbox_seq_key" ON "identity"."notification_outbox"("seq");

-- CreateIndex
CREATE INDEX "notification_outbox_sent_at_seq_idx" ON "identity"."notification_outbox"("sent_at", "seq");

-- Sequencing (outboxSequencingSql of @baas/outbox; Prisma cannot say functions and triggers).
CREATE FUNCTION "identity"."notification_outbox_sequence"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "identity"."notification_outbox_head" SET "last_seq" = "last_seq" + 1 WHERE "id" RETURNING "last_seq" INTO NEW."seq";
  IF NEW."seq" IS NULL THEN
    RAISE EXCEPTION 'identity.notification_outbox_head has no row';
  END IF;
  PERFORM pg_notify('identity_notification_outbox', '');
  RETURN NEW;
END
$$;
CREATE TRIGGER "notification_outbox_sequence" BEFORE INSERT ON "identity"."notification_outbox" FOR EACH ROW EXECUTE FUNCTION "identity"."notification_outbox_sequence"();
