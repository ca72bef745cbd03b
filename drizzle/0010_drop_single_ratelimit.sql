ALTER TABLE "api_key" DROP COLUMN "rate_limit";--> statement-breakpoint
ALTER TABLE "api_key" DROP COLUMN "rate_limit_window_ms";