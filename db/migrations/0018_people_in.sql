-- People coming in (issue 16): password reset links, and the message of an access request.
-- A reset link is kept as an invitation is: only the token's hash, single-use, expiring; it goes
-- with its user (erasure).
CREATE TABLE "password_resets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL REFERENCES "users"("id") ON DELETE cascade,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint
CREATE UNIQUE INDEX "password_resets_token_hash_idx" ON "password_resets" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "password_resets_user_idx" ON "password_resets" USING btree ("user_id");--> statement-breakpoint
-- What a person asking for access wrote (personal data: it goes with the user). `digested_at` is
-- set when the request was listed in a digest email to admins and managers.
CREATE TABLE "access_requests" (
	"user_id" uuid PRIMARY KEY NOT NULL REFERENCES "users"("id") ON DELETE cascade,
	"message" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"digested_at" timestamp with time zone
);--> statement-breakpoint
CREATE INDEX "access_requests_undigested_idx" ON "access_requests" USING btree ("created_at") WHERE "digested_at" IS NULL;
