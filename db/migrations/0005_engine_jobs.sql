CREATE TABLE "jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"actor_id" uuid,
	"params" jsonb NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"cursor" integer DEFAULT 0 NOT NULL,
	"done" integer DEFAULT 0 NOT NULL,
	"skipped" integer DEFAULT 0 NOT NULL,
	"skipped_by_reason" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error" text,
	"cancel_requested_at" timestamp with time zone,
	"lease_until" timestamp with time zone,
	"runner" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "jobs_status_check" CHECK ("status" in ('queued', 'running', 'done', 'cancelled', 'failed'))
);
--> statement-breakpoint
CREATE INDEX "jobs_created_idx" ON "jobs" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "jobs_open_idx" ON "jobs" USING btree ("created_at") WHERE "status" in ('queued', 'running');--> statement-breakpoint
CREATE TABLE "job_items" (
	"job_id" uuid NOT NULL REFERENCES "jobs"("id") ON DELETE CASCADE,
	"seq" integer NOT NULL,
	"user_id" uuid NOT NULL,
	"seen_status" "user_status" NOT NULL,
	CONSTRAINT "job_items_pk" PRIMARY KEY ("job_id","seq")
);
--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "job_id" uuid;--> statement-breakpoint
CREATE INDEX "audit_job_idx" ON "audit_events" USING btree ("job_id") WHERE "job_id" is not null;
