-- CreateIndex
CREATE INDEX "webhook_delivery_created_at_idx" ON "webhooks"."webhook_delivery"("created_at");

-- CreateIndex
CREATE INDEX "webhook_event_created_at_idx" ON "webhooks"."webhook_event"("created_at");
