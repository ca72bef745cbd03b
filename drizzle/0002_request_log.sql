CREATE TABLE "key_request_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "key_request_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"key_id" text NOT NULL,
	"organization_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"code" text NOT NULL,
	"ip" text,
	"method" text,
	"path" text
);
--> statement-breakpoint
CREATE INDEX "key_request_log_key_at_idx" ON "key_request_log" USING btree ("key_id","at");--> statement-breakpoint
CREATE INDEX "key_request_log_org_at_idx" ON "key_request_log" USING btree ("organization_id","at");