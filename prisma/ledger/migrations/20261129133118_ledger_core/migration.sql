-- The foundation's placeholder ledger tables held no money; they are emptied before the real
-- ledger's NOT NULL columns are added.
TRUNCATE "ledger"."transfer", "ledger"."ledger_account";

-- DropForeignKey
ALTER TABLE "ledger"."transfer" DROP CONSTRAINT "transfer_credit_account_id_fkey";

-- DropForeignKey
ALTER TABLE "ledger"."transfer" DROP CONSTRAINT "transfer_debit_account_id_fkey";

-- DropIndex
DROP INDEX "ledger"."transfer_credit_account_id_idx";

-- DropIndex
DROP INDEX "ledger"."transfer_debit_account_id_idx";

-- AlterTable
ALTER TABLE "ledger"."ledger_account" ADD COLUMN     "customer_id" UUID,
ADD COLUMN     "metadata" JSONB,
ADD COLUMN     "request_hash" TEXT NOT NULL,
ALTER COLUMN "tenant_id" DROP NOT NULL;

-- AlterTable
ALTER TABLE "ledger"."transfer" DROP COLUMN "status",
ADD COLUMN     "expires_at" TIMESTAMPTZ(3),
ADD COLUMN     "journal_seq" BIGINT NOT NULL,
ADD COLUMN     "kind" TEXT NOT NULL,
ADD COLUMN     "linked_group" UUID,
ADD COLUMN     "metadata" JSONB,
ADD COLUMN     "pending_id" UUID,
ADD COLUMN     "request_hash" TEXT NOT NULL,
ADD COLUMN     "timeout_seconds" INTEGER,
ALTER COLUMN "created_at" DROP DEFAULT;

-- CreateTable
CREATE TABLE "ledger"."pending_expiry" (
    "pending_id" UUID NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "pending_expiry_pkey" PRIMARY KEY ("pending_id")
);

-- CreateTable
CREATE TABLE "ledger"."journal_entry" (
    "seq" BIGINT NOT NULL,
    "transfer_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "prev_hash" BYTEA NOT NULL,
    "hash" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "journal_entry_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "ledger"."checkpoint" (
    "tree_size" BIGINT NOT NULL,
    "root_hash" BYTEA NOT NULL,
    "chain_head" BYTEA NOT NULL,
    "timestamp" TIMESTAMPTZ(3) NOT NULL,
    "key_id" TEXT NOT NULL,
    "signature" BYTEA NOT NULL,

    CONSTRAINT "checkpoint_pkey" PRIMARY KEY ("tree_size")
);

-- CreateTable
CREATE TABLE "ledger"."outbox_event" (
    "seq" BIGINT NOT NULL,
    "event_id" UUID NOT NULL,
    "subject" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outbox_event_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "ledger"."outbox_cursor" (
    "relay" TEXT NOT NULL,
    "last_seq" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outbox_cursor_pkey" PRIMARY KEY ("relay")
);

-- CreateIndex
CREATE INDEX "pending_expiry_expires_at_idx" ON "ledger"."pending_expiry"("expires_at");

-- CreateIndex
CREATE INDEX "ledger_account_customer_id_idx" ON "ledger"."ledger_account"("customer_id");

-- CreateIndex
CREATE UNIQUE INDEX "transfer_pending_id_key" ON "ledger"."transfer"("pending_id");

-- CreateIndex
CREATE INDEX "transfer_debit_account_id_journal_seq_idx" ON "ledger"."transfer"("debit_account_id", "journal_seq");

-- CreateIndex
CREATE INDEX "transfer_credit_account_id_journal_seq_idx" ON "ledger"."transfer"("credit_account_id", "journal_seq");

-- AddForeignKey
ALTER TABLE "ledger"."transfer" ADD CONSTRAINT "transfer_pending_id_fkey" FOREIGN KEY ("pending_id") REFERENCES "ledger"."transfer"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- Hand-written (Prisma cannot express these; the drift test leaves CHECK constraints and triggers out).

ALTER TABLE "ledger"."ledger_account"
  ADD CONSTRAINT "ledger_account_currency_check" CHECK ("currency" ~ '^[A-Z]{3}$'),
  ADD CONSTRAINT "ledger_account_flags_check" CHECK ("flags" BETWEEN 0 AND 3 AND "flags" <> 3),
  ADD CONSTRAINT "ledger_account_counters_check" CHECK ("debits_posted" >= 0 AND "credits_posted" >= 0 AND "debits_pending" >= 0 AND "credits_pending" >= 0),
  -- The balance guards, enforced by the database too: an account flagged "debits must not exceed
  -- credits" can never be overdrawn, whatever code writes it.
  ADD CONSTRAINT "ledger_account_debits_guard" CHECK (("flags" & 1) = 0 OR "debits_posted" + "debits_pending" <= "credits_posted"),
  ADD CONSTRAINT "ledger_account_credits_guard" CHECK (("flags" & 2) = 0 OR "credits_posted" + "credits_pending" <= "debits_posted");

ALTER TABLE "ledger"."transfer"
  ADD CONSTRAINT "transfer_kind_check" CHECK ("kind" IN ('SINGLE', 'PENDING', 'POST', 'VOID', 'EXPIRE')),
  ADD CONSTRAINT "transfer_amount_check" CHECK ("amount" > 0),
  ADD CONSTRAINT "transfer_accounts_check" CHECK ("debit_account_id" <> "credit_account_id"),
  ADD CONSTRAINT "transfer_pending_check" CHECK (("kind" IN ('POST', 'VOID', 'EXPIRE')) = ("pending_id" IS NOT NULL));

-- Append-only: nothing committed to the ledger is ever updated or deleted (corrections are new,
-- reversing transfers). Enforced here, not only in code.
CREATE FUNCTION "ledger"."refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger.% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER "transfer_append_only" BEFORE UPDATE OR DELETE ON "ledger"."transfer" FOR EACH ROW EXECUTE FUNCTION "ledger"."refuse_change"();
CREATE TRIGGER "transfer_no_truncate" BEFORE TRUNCATE ON "ledger"."transfer" FOR EACH STATEMENT EXECUTE FUNCTION "ledger"."refuse_change"();
CREATE TRIGGER "journal_entry_append_only" BEFORE UPDATE OR DELETE ON "ledger"."journal_entry" FOR EACH ROW EXECUTE FUNCTION "ledger"."refuse_change"();
CREATE TRIGGER "journal_entry_no_truncate" BEFORE TRUNCATE ON "ledger"."journal_entry" FOR EACH STATEMENT EXECUTE FUNCTION "ledger"."refuse_change"();
CREATE TRIGGER "checkpoint_append_only" BEFORE UPDATE OR DELETE ON "ledger"."checkpoint" FOR EACH ROW EXECUTE FUNCTION "ledger"."refuse_change"();
CREATE TRIGGER "checkpoint_no_truncate" BEFORE TRUNCATE ON "ledger"."checkpoint" FOR EACH STATEMENT EXECUTE FUNCTION "ledger"."refuse_change"();
CREATE TRIGGER "outbox_event_append_only" BEFORE UPDATE OR DELETE ON "ledger"."outbox_event" FOR EACH ROW EXECUTE FUNCTION "ledger"."refuse_change"();
CREATE TRIGGER "pending_expiry_append_only" BEFORE UPDATE OR DELETE ON "ledger"."pending_expiry" FOR EACH ROW EXECUTE FUNCTION "ledger"."refuse_change"();
CREATE TRIGGER "pending_expiry_no_truncate" BEFORE TRUNCATE ON "ledger"."pending_expiry" FOR EACH STATEMENT EXECUTE FUNCTION "ledger"."refuse_change"();
CREATE TRIGGER "outbox_event_no_truncate" BEFORE TRUNCATE ON "ledger"."outbox_event" FOR EACH STATEMENT EXECUTE FUNCTION "ledger"."refuse_change"();
