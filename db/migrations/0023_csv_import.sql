-- Import CSV (issue 16 §2). A file is read once, at its preview, into csv_import_rows (one row per
-- line of data, with what is wrong with it); the apply creates exactly the rows the preview
-- planned, so nothing the admin did not see is ever applied. Expired imports are deleted.
CREATE TABLE "csv_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"actor_id" uuid NOT NULL REFERENCES "users"("id") ON DELETE cascade,
	"file_name" text NOT NULL,
	"rows" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"applied_at" timestamp with time zone
);--> statement-breakpoint
CREATE INDEX "csv_imports_created_idx" ON "csv_imports" USING btree ("created_at");--> statement-breakpoint
-- No foreign key to csv_imports: checking it cost a lookup per row; rows go with their import.
CREATE TABLE "csv_import_rows" (
	"import_id" uuid NOT NULL,
	"line" integer NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"status" text NOT NULL,
	"problems" jsonb,
	"outcome" text DEFAULT 'error' NOT NULL,
	"reason" jsonb,
	"user_id" uuid,
	CONSTRAINT "csv_import_rows_pk" PRIMARY KEY("import_id","line")
);
