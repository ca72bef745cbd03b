-- Named rate limits (issue 14). The single limit each key had (rate_limit per rate_limit_window_ms)
-- becomes the limit named "default" (window in seconds); 0010 then drops the old columns.
ALTER TABLE "api_key" ADD COLUMN "ratelimits" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "customer" ADD COLUMN "ratelimits" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
UPDATE "api_key" SET "ratelimits" = jsonb_build_array(jsonb_build_object('name', 'default', 'limit', "rate_limit", 'window', greatest(1, "rate_limit_window_ms" / 1000)))
  WHERE "rate_limit" IS NOT NULL AND "rate_limit_window_ms" IS NOT NULL AND "rate_limit" > 0;
