CREATE TABLE "customer" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"external_id" text NOT NULL,
	"name" text NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"credits_remaining" integer,
	"credits_refill_amount" integer,
	"credits_refill_interval" text,
	"credits_refill_day" integer,
	"credits_next_refill_at" timestamp with time zone,
	"credits_low_threshold" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_key" ADD COLUMN "customer_id" text;--> statement-breakpoint
ALTER TABLE "api_key" ADD COLUMN "credits_remaining" integer;--> statement-breakpoint
ALTER TABLE "api_key" ADD COLUMN "credits_refill_amount" integer;--> statement-breakpoint
ALTER TABLE "api_key" ADD COLUMN "credits_refill_interval" text;--> statement-breakpoint
ALTER TABLE "api_key" ADD COLUMN "credits_refill_day" integer;--> statement-breakpoint
ALTER TABLE "api_key" ADD COLUMN "credits_next_refill_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "api_key" ADD COLUMN "credits_low_threshold" integer;--> statement-breakpoint
ALTER TABLE "customer" ADD CONSTRAINT "customer_organization_id_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "customer_org_external_idx" ON "customer" USING btree ("organization_id","external_id");--> statement-breakpoint
CREATE INDEX "customer_org_name_idx" ON "customer" USING btree ("organization_id","name");--> statement-breakpoint
ALTER TABLE "api_key" ADD CONSTRAINT "api_key_customer_id_customer_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customer"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_key_customer_idx" ON "api_key" USING btree ("customer_id");