-- Scheduled policies (issue 17 §4). A policy's run for a period is one row here, inserted in the
-- same transaction as its job: however many app instances tick at once, the primary key lets one
-- of them in per policy and period, and the job runner (SKIP LOCKED, lease) runs that job once.
CREATE TABLE "policy_runs" (
	"policy" text NOT NULL,
	"period" text NOT NULL,
	"job_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "policy_runs_pkey" PRIMARY KEY ("policy", "period")
);--> statement-breakpoint
-- When a dormant user was last warned that the policy will deactivate them (one email per spell
-- of dormancy: a sign-in after it starts a new one).
ALTER TABLE "users" ADD COLUMN "dormant_warned_at" timestamp with time zone;
