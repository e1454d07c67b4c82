-- AlterTable
ALTER TABLE "identity"."tenant" ADD COLUMN     "status" TEXT NOT NULL DEFAULT 'ACTIVE';

-- Hand-written: the only statuses a tenant can have.
ALTER TABLE "identity"."tenant" ADD CONSTRAINT "tenant_status_check" CHECK ("status" IN ('ACTIVE', 'SUSPENDED'));
