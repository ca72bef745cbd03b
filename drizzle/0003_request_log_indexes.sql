DROP INDEX "key_request_log_org_at_idx";--> statement-breakpoint
CREATE INDEX "key_request_log_at_brin" ON "key_request_log" USING brin ("at");