-- Usage rollups and a request log partitioned by day (issue 13).
--
-- HAND-WRITTEN around what `drizzle-kit generate` produced: drizzle has no syntax for declarative
-- partitioning, so the key_request_log part below is written by hand. The snapshot
-- (meta/0005_snapshot.json) matches lib/db/schema.ts: key_request_log with PRIMARY KEY (id, at)
-- and the (key_id, at) index; the partitions themselves are invisible to drizzle.
--
-- Existing rows move into the new table (one partition per UTC day that has rows, through 7 days
-- ahead, plus a DEFAULT partition that catches any row whose day has no partition yet, so a
-- batch never fails for want of one), and the per-minute / per-hour / per-day rollups are filled from them.
-- On a very large request log this migration takes as long as copying it once.
CREATE TABLE "key_permission_usage_day" (
	"key_id" text NOT NULL,
	"day" date NOT NULL,
	"permission" text NOT NULL,
	"organization_id" text NOT NULL,
	"count" bigint NOT NULL,
	"last_used_at" timestamp with time zone NOT NULL,
	CONSTRAINT "key_permission_usage_day_key_id_day_permission_pk" PRIMARY KEY("key_id","day","permission")
);
--> statement-breakpoint
CREATE TABLE "key_usage_day" (
	"day" date NOT NULL,
	"key_id" text NOT NULL,
	"code" text NOT NULL,
	"organization_id" text NOT NULL,
	"environment" "key_environment" NOT NULL,
	"customer_id" text,
	"count" bigint NOT NULL,
	CONSTRAINT "key_usage_day_key_id_day_code_pk" PRIMARY KEY("key_id","day","code")
);
--> statement-breakpoint
CREATE TABLE "key_usage_hour" (
	"hour" timestamp with time zone NOT NULL,
	"key_id" text NOT NULL,
	"code" text NOT NULL,
	"organization_id" text NOT NULL,
	"environment" "key_environment" NOT NULL,
	"customer_id" text,
	"count" bigint NOT NULL,
	CONSTRAINT "key_usage_hour_key_id_hour_code_pk" PRIMARY KEY("key_id","hour","code")
);
--> statement-breakpoint
CREATE TABLE "key_usage_minute" (
	"minute" timestamp with time zone NOT NULL,
	"key_id" text NOT NULL,
	"code" text NOT NULL,
	"organization_id" text NOT NULL,
	"environment" "key_environment" NOT NULL,
	"customer_id" text,
	"count" bigint NOT NULL,
	CONSTRAINT "key_usage_minute_key_id_minute_code_pk" PRIMARY KEY("key_id","minute","code")
);
--> statement-breakpoint
-- Existing keys start counting permission use now (the panel says since when).
ALTER TABLE "api_key" ADD COLUMN "permission_use_counted_since" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
CREATE INDEX "key_permission_usage_day_day_idx" ON "key_permission_usage_day" USING btree ("day");--> statement-breakpoint
CREATE INDEX "key_usage_day_org_idx" ON "key_usage_day" USING btree ("organization_id","day");--> statement-breakpoint
CREATE INDEX "key_usage_hour_org_idx" ON "key_usage_hour" USING btree ("organization_id","hour");--> statement-breakpoint
CREATE INDEX "key_usage_minute_org_idx" ON "key_usage_minute" USING btree ("organization_id","minute");--> statement-breakpoint
-- Hand-written from here: the old table steps aside (with its sequence and index names) ...
ALTER TABLE "key_request_log" RENAME TO "key_request_log_unpartitioned";--> statement-breakpoint
ALTER INDEX "key_request_log_pkey" RENAME TO "key_request_log_unpartitioned_pkey";--> statement-breakpoint
DROP INDEX "key_request_log_key_at_idx";--> statement-breakpoint
DROP INDEX "key_request_log_at_brin";--> statement-breakpoint
ALTER SEQUENCE "key_request_log_id_seq" RENAME TO "key_request_log_unpartitioned_id_seq";--> statement-breakpoint
-- ... the partitioned table takes its place ...
CREATE TABLE "key_request_log" (
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "key_request_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"key_id" text NOT NULL,
	"organization_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"code" text NOT NULL,
	"ip" text,
	"method" text,
	"path" text,
	CONSTRAINT "key_request_log_id_at_pk" PRIMARY KEY("id","at")
) PARTITION BY RANGE ("at");--> statement-breakpoint
CREATE INDEX "key_request_log_key_at_idx" ON "key_request_log" USING btree ("key_id","at");--> statement-breakpoint
CREATE TABLE "key_request_log_default" PARTITION OF "key_request_log" DEFAULT;--> statement-breakpoint
-- ... with a partition per day (named key_request_log_pYYYYMMDD, UTC days; lib/verify/usage-partitions.ts
-- keeps creating and dropping them) ...
DO $$
DECLARE
	first_day date := coalesce((SELECT min("at") AT TIME ZONE 'UTC' FROM "key_request_log_unpartitioned")::date, (now() AT TIME ZONE 'UTC')::date);
	last_day date := (now() AT TIME ZONE 'UTC')::date + 7;
	d date;
BEGIN
	d := first_day;
	WHILE d <= last_day LOOP
		EXECUTE format('CREATE TABLE %I PARTITION OF "key_request_log" FOR VALUES FROM (%L) TO (%L)',
			'key_request_log_p' || to_char(d, 'YYYYMMDD'), d::text || ' 00:00:00+00', (d + 1)::text || ' 00:00:00+00');
		d := d + 1;
	END LOOP;
END $$;--> statement-breakpoint
-- ... the rows move over, keeping their ids ...
INSERT INTO "key_request_log" ("id", "key_id", "organization_id", "at", "code", "ip", "method", "path") OVERRIDING SYSTEM VALUE
SELECT "id", "key_id", "organization_id", "at", "code", "ip", "method", "path" FROM "key_request_log_unpartitioned";--> statement-breakpoint
SELECT setval('key_request_log_id_seq', coalesce((SELECT max("id") FROM "key_request_log_unpartitioned"), 0) + 1, false);--> statement-breakpoint
-- ... the rollups start from them (keys deleted since are left out: their environment is gone) ...
INSERT INTO "key_usage_minute" ("minute", "key_id", "code", "organization_id", "environment", "count")
SELECT date_trunc('minute', l."at", 'UTC'), l."key_id", l."code", l."organization_id", k."environment", count(*)
FROM "key_request_log_unpartitioned" l JOIN "api_key" k ON k."id" = l."key_id"
GROUP BY 1, 2, 3, 4, 5;--> statement-breakpoint
INSERT INTO "key_usage_hour" ("hour", "key_id", "code", "organization_id", "environment", "count")
SELECT date_trunc('hour', "minute", 'UTC'), "key_id", "code", "organization_id", "environment", sum("count")
FROM "key_usage_minute" GROUP BY 1, 2, 3, 4, 5;--> statement-breakpoint
INSERT INTO "key_usage_day" ("day", "key_id", "code", "organization_id", "environment", "count")
SELECT ("hour" AT TIME ZONE 'UTC')::date, "key_id", "code", "organization_id", "environment", sum("count")
FROM "key_usage_hour" GROUP BY 1, 2, 3, 4, 5;--> statement-breakpoint
-- ... and the old table goes.
DROP TABLE "key_request_log_unpartitioned";
