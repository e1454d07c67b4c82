-- AlterTable
ALTER TABLE "identity"."session" ADD COLUMN     "amr" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "auth_time" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "challenge_id" UUID,
ADD COLUMN     "step_up_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "identity"."tenant" ADD COLUMN     "step_up_policy" JSONB NOT NULL DEFAULT '{}';

-- CreateTable
CREATE TABLE "identity"."sign_in_challenge" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "customer_id" UUID,
    "channel" TEXT NOT NULL,
    "destination_index" TEXT NOT NULL,
    "masked_destination" TEXT NOT NULL,
    "code_hash" TEXT NOT NULL,
    "link_token_hash" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "max_attempts" INTEGER NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "consumed_at" TIMESTAMPTZ(3),
    "request_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sign_in_challenge_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "identity"."notification_outbox" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "subject" TEXT NOT NULL,
    "payload_sealed" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "notification_outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "identity"."passkey_credential" (
    "id" TEXT NOT NULL,
    "tenant_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "public_key" BYTEA NOT NULL,
    "counter" BIGINT NOT NULL DEFAULT 0,
    "transports" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "device_type" TEXT NOT NULL,
    "backed_up" BOOLEAN NOT NULL,
    "aaguid" TEXT,
    "nickname" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "removed_at" TIMESTAMPTZ(3),

    CONSTRAINT "passkey_credential_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "identity"."signing_key" (
    "kid" TEXT NOT NULL,
    "public_jwk" JSONB NOT NULL,
    "private_sealed" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "activates_at" TIMESTAMPTZ(3) NOT NULL,
    "retired_at" TIMESTAMPTZ(3),

    CONSTRAINT "signing_key_pkey" PRIMARY KEY ("kid")
);

-- CreateIndex
CREATE UNIQUE INDEX "sign_in_challenge_link_token_hash_key" ON "identity"."sign_in_challenge"("link_token_hash");

-- CreateIndex
CREATE INDEX "sign_in_challenge_tenant_id_destination_index_created_at_idx" ON "identity"."sign_in_challenge"("tenant_id", "destination_index", "created_at");

-- CreateIndex
CREATE INDEX "notification_outbox_sent_at_created_at_idx" ON "identity"."notification_outbox"("sent_at", "created_at");

-- CreateIndex
CREATE INDEX "passkey_credential_customer_id_idx" ON "identity"."passkey_credential"("customer_id");

-- CreateIndex
CREATE UNIQUE INDEX "session_challenge_id_key" ON "identity"."session"("challenge_id");
