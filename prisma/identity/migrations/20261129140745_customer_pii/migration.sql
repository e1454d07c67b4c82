-- AlterTable
ALTER TABLE "identity"."customer" ADD COLUMN     "email_index" TEXT,
ADD COLUMN     "email_sealed" TEXT,
ADD COLUMN     "phone_index" TEXT,
ADD COLUMN     "phone_sealed" TEXT,
ADD COLUMN     "request_hash" TEXT,
ADD COLUMN     "tax_id_index" TEXT,
ADD COLUMN     "tax_id_kind" TEXT,
ADD COLUMN     "tax_id_sealed" TEXT;

-- CreateIndex
CREATE INDEX "customer_tenant_id_email_index_idx" ON "identity"."customer"("tenant_id", "email_index");

-- CreateIndex
CREATE INDEX "customer_tenant_id_phone_index_idx" ON "identity"."customer"("tenant_id", "phone_index");

-- CreateIndex
CREATE UNIQUE INDEX "customer_tenant_id_tax_id_index_key" ON "identity"."customer"("tenant_id", "tax_id_index");
