-- Which tab a user is listed in (0 Active: active and invited, 1 Pending, 2 Inactive, 3 Archived,
-- 4 Rejected). Every list is one tab, so (tab, sort column, id) indexes serve every sort of every
-- tab in both directions, and replace the (status, …) and (column, id) pairs.
ALTER TABLE "users" ADD COLUMN "tab" smallint GENERATED ALWAYS AS (CASE "status" WHEN 'active' THEN 0 WHEN 'invited' THEN 0 WHEN 'pending' THEN 1 WHEN 'inactive' THEN 2 WHEN 'archived' THEN 3 ELSE 4 END) STORED NOT NULL;--> statement-breakpoint
DROP INDEX IF EXISTS "users_status_name_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "users_status_email_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "users_status_created_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "users_status_last_sign_in_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "users_status_role_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "users_name_id_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "users_email_id_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "users_created_id_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "users_last_sign_in_id_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "users_last_sign_in_desc_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "users_name_trgm_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "users_email_trgm_idx";--> statement-breakpoint
-- Plain ascending indexes, read backwards for the descending order (never DESC NULLS LAST).
CREATE INDEX "users_tab_name_idx" ON "users" USING btree ("tab", "name", "id");--> statement-breakpoint
CREATE INDEX "users_tab_email_idx" ON "users" USING btree ("tab", "email", "id");--> statement-breakpoint
CREATE INDEX "users_tab_role_idx" ON "users" USING btree ("tab", "role", "id");--> statement-breakpoint
CREATE INDEX "users_tab_last_sign_in_idx" ON "users" USING btree ("tab", "last_sign_in_at", "id");--> statement-breakpoint
CREATE INDEX "users_tab_created_idx" ON "users" USING btree ("tab", "created_at", "id");--> statement-breakpoint
CREATE INDEX "users_tab_status_changed_idx" ON "users" USING btree ("tab", "status_changed_at", "id");--> statement-breakpoint
-- Search by name or email: one trigram index over both, matched by the same expression.
CREATE INDEX "users_search_trgm_idx" ON "users" USING gin (("name" || E'\n' || "email") gin_trgm_ops);--> statement-breakpoint
-- The owner picker: active admins and the owner, by name (a few thousand rows at most).
CREATE INDEX "users_admins_name_idx" ON "users" USING btree ("name", "id") WHERE "status" = 'active' AND "role" IN ('owner', 'admin');--> statement-breakpoint
-- The audit log pages by (at, id): the tie-break is in every index, so no page sorts.
DROP INDEX IF EXISTS "audit_target_at_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "audit_actor_at_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "audit_at_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "audit_action_at_idx";--> statement-breakpoint
CREATE INDEX "audit_target_at_idx" ON "audit_events" USING btree ("target_id", "at", "id");--> statement-breakpoint
CREATE INDEX "audit_actor_at_idx" ON "audit_events" USING btree ("actor_id", "at", "id");--> statement-breakpoint
CREATE INDEX "audit_at_idx" ON "audit_events" USING btree ("at", "id");--> statement-breakpoint
CREATE INDEX "audit_action_at_idx" ON "audit_events" USING btree ("action", "at", "id");--> statement-breakpoint
-- Users per status, as signed deltas that add up to count(*). Statement triggers on users append
-- one row per changed status, in the transaction of the change, whoever makes it; nobody updates
-- a shared row, so concurrent changes never wait on each other or deadlock. Readers sum a few rows.
CREATE TABLE "user_status_counts" (
  "id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
  "status" "user_status" NOT NULL,
  "n" bigint NOT NULL
);--> statement-breakpoint
INSERT INTO "user_status_counts" ("status", "n") SELECT "status", count(*) FROM "users" GROUP BY "status";--> statement-breakpoint
-- Folds the deltas into one row per status once they pile up. The try-lock lets one transaction
-- at a time do it; the others skip. Rows of transactions not yet committed are not visible, so
-- they are left alone, and the sum stays exact.
CREATE FUNCTION user_status_counts_compact() RETURNS void AS $$
BEGIN
  IF (SELECT count(*) FROM user_status_counts) > 64 AND pg_try_advisory_xact_lock(7265110002) THEN
    WITH gone AS (DELETE FROM user_status_counts RETURNING status, n)
    INSERT INTO user_status_counts (status, n)
      SELECT status, sum(n) FROM gone GROUP BY status HAVING sum(n) <> 0;
  END IF;
END;
$$ LANGUAGE plpgsql;--> statement-breakpoint
CREATE FUNCTION users_count_inserted() RETURNS trigger AS $$
BEGIN
  INSERT INTO user_status_counts (status, n) SELECT status, count(*) FROM new_rows GROUP BY status;
  PERFORM user_status_counts_compact();
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;--> statement-breakpoint
CREATE FUNCTION users_count_updated() RETURNS trigger AS $$
BEGIN
  -- Most updates (sign-ins, sessions) change no status: then nothing is written.
  INSERT INTO user_status_counts (status, n)
    SELECT status, sum(d) FROM (
      SELECT status, 1 AS d FROM new_rows UNION ALL SELECT status, -1 FROM old_rows
    ) AS changes
    GROUP BY status HAVING sum(d) <> 0;
  IF FOUND THEN PERFORM user_status_counts_compact(); END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;--> statement-breakpoint
CREATE FUNCTION users_count_deleted() RETURNS trigger AS $$
BEGIN
  INSERT INTO user_status_counts (status, n) SELECT status, -count(*) FROM old_rows GROUP BY status;
  PERFORM user_status_counts_compact();
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;--> statement-breakpoint
CREATE FUNCTION users_count_truncated() RETURNS trigger AS $$
BEGIN
  DELETE FROM user_status_counts;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;--> statement-breakpoint
CREATE TRIGGER users_count_insert AFTER INSERT ON "users"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION users_count_inserted();--> statement-breakpoint
CREATE TRIGGER users_count_update AFTER UPDATE ON "users"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION users_count_updated();--> statement-breakpoint
CREATE TRIGGER users_count_delete AFTER DELETE ON "users"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION users_count_deleted();--> statement-breakpoint
CREATE TRIGGER users_count_truncate AFTER TRUNCATE ON "users"
  FOR EACH STATEMENT EXECUTE FUNCTION users_count_truncated();
