-- SCIM 2.0 (issue 16 §6). Bearer tokens for identity providers: only the token's sha256 is kept;
-- a revoked token stays listed (revoked_at) so the audit's mentions of it keep their meaning.
CREATE TABLE "scim_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_by" uuid REFERENCES "users"("id") ON DELETE set null,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "scim_tokens_name_not_blank" CHECK (length(trim("name")) > 0)
);--> statement-breakpoint
CREATE UNIQUE INDEX "scim_tokens_token_hash_idx" ON "scim_tokens" USING btree ("token_hash");--> statement-breakpoint
-- The identity provider's own id for a user (SCIM externalId): unique where set.
ALTER TABLE "users" ADD COLUMN "external_id" text;--> statement-breakpoint
CREATE UNIQUE INDEX "users_external_id_idx" ON "users" USING btree ("external_id") WHERE "external_id" IS NOT NULL;
