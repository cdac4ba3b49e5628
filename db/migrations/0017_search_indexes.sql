-- A role filter in the default order (by name): one index range of (tab, role, name, id) instead of
-- walking the tab by name and dropping every row of another role (at 1,000,000 users, 5,500 rows
-- read for a page of admins). Issue 20 §2.
CREATE INDEX IF NOT EXISTS "users_tab_role_name_idx" ON "users" USING btree ("tab", "role", "name", "id");--> statement-breakpoint
-- The audit log's people filters: an actor or target name that matches many people is a semi-join
-- (lib/audit/queries.ts). With the actor and target in the ordered indexes, the walk in the log's
-- order (and the capped count) reads the index alone, then looks the few distinct people up,
-- instead of a heap row per event (at 1,000,000 events the planner chose a whole-table scan).
DROP INDEX IF EXISTS "audit_at_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "audit_action_at_idx";--> statement-breakpoint
CREATE INDEX "audit_at_idx" ON "audit_events" USING btree ("at", "id") INCLUDE ("actor_id", "target_id");--> statement-breakpoint
CREATE INDEX "audit_action_at_idx" ON "audit_events" USING btree ("action", "at", "id") INCLUDE ("actor_id", "target_id");
