CREATE TYPE "public"."key_environment" AS ENUM('production', 'staging', 'development');--> statement-breakpoint
CREATE TYPE "public"."key_status" AS ENUM('active', 'suspended', 'revoked');--> statement-breakpoint
CREATE TYPE "public"."key_type" AS ENUM('secret', 'public');--> statement-breakpoint
CREATE TABLE "api_key" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text NOT NULL,
	"owner_id" text,
	"created_by_id" text,
	"name" text NOT NULL,
	"description" text,
	"type" "key_type" NOT NULL,
	"environment" "key_environment" NOT NULL,
	"prefix" text NOT NULL,
	"last4" text NOT NULL,
	"hash" text NOT NULL,
	"previous_hash" text,
	"previous_hash_expires_at" timestamp with time zone,
	"public_token" text,
	"status" "key_status" DEFAULT 'active' NOT NULL,
	"permissions" text[] DEFAULT '{}' NOT NULL,
	"rules" text,
	"ip_allowlist" text[] DEFAULT '{}' NOT NULL,
	"rate_limit" integer,
	"rate_limit_window_ms" integer,
	"expires_at" timestamp with time zone,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"external_id" text,
	"last_used_at" timestamp with time zone,
	"last_used_ip" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "org_permission" (
	"organization_id" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "org_permission_organization_id_name_pk" PRIMARY KEY("organization_id","name")
);
--> statement-breakpoint
ALTER TABLE "organization" ADD COLUMN "key_require_expiry" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "organization" ADD COLUMN "key_max_lifetime_days" integer;--> statement-breakpoint
ALTER TABLE "organization" ADD COLUMN "key_default_grace" text DEFAULT '12h' NOT NULL;--> statement-breakpoint
ALTER TABLE "api_key" ADD CONSTRAINT "api_key_organization_id_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_key" ADD CONSTRAINT "api_key_owner_id_user_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_key" ADD CONSTRAINT "api_key_created_by_id_user_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_permission" ADD CONSTRAINT "org_permission_organization_id_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_key_hash_idx" ON "api_key" USING btree ("hash");--> statement-breakpoint
CREATE UNIQUE INDEX "api_key_previous_hash_idx" ON "api_key" USING btree ("previous_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "api_key_live_name_idx" ON "api_key" USING btree ("organization_id",lower("name")) WHERE "api_key"."revoked_at" is null;--> statement-breakpoint
CREATE INDEX "api_key_org_created_idx" ON "api_key" USING btree ("organization_id","created_at");--> statement-breakpoint
CREATE INDEX "api_key_org_name_idx" ON "api_key" USING btree ("organization_id","name");--> statement-breakpoint
CREATE INDEX "api_key_owner_idx" ON "api_key" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "api_key_expires_idx" ON "api_key" USING btree ("expires_at");