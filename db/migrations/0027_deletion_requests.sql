-- Four-eyes delete (issue 17 §7): with "Require a second admin to delete" on, a person's
-- Delete permanently becomes a request that another admin or the owner approves or declines
-- (lib/users/deletion-requests.ts). The targets are the exact users the request's plan would
-- delete; a target deleted meanwhile leaves its request (the cascade), which keeps its count.
CREATE TABLE "deletion_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"requested_by" uuid,
	"new_owner_id" uuid,
	"reason" text,
	"target_count" integer NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	CONSTRAINT "deletion_requests_status_check" CHECK ("deletion_requests"."status" in ('pending', 'approved', 'declined', 'expired'))
);--> statement-breakpoint
CREATE TABLE "deletion_request_targets" (
	"request_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	CONSTRAINT "deletion_request_targets_pk" PRIMARY KEY("request_id","user_id")
);--> statement-breakpoint
ALTER TABLE "deletion_requests" ADD CONSTRAINT "deletion_requests_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deletion_requests" ADD CONSTRAINT "deletion_requests_new_owner_id_users_id_fk" FOREIGN KEY ("new_owner_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deletion_requests" ADD CONSTRAINT "deletion_requests_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deletion_request_targets" ADD CONSTRAINT "deletion_request_targets_request_id_deletion_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."deletion_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deletion_request_targets" ADD CONSTRAINT "deletion_request_targets_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- The nav badge and the expiry sweep read only the pending few.
CREATE INDEX "deletion_requests_pending_idx" ON "deletion_requests" USING btree ("expires_at") WHERE "deletion_requests"."status" = 'pending';--> statement-breakpoint
-- A user's deletion (the cascade) finds their rows here by user.
CREATE INDEX "deletion_request_targets_user_idx" ON "deletion_request_targets" USING btree ("user_id");
