-- Invitation tokens: sealed with a key derived from AUTH_SECRET, cleared once sent (the body
-- holds a mark in the token's place).
ALTER TABLE "outbox" ADD COLUMN "sealed_token" text;
--> statement-breakpoint
UPDATE "outbox" SET "body" = regexp_replace("body", '/invite/[A-Za-z0-9_-]{43}', '/invite/…', 'g')
WHERE "sent_at" IS NOT NULL AND "body" ~ '/invite/[A-Za-z0-9_-]{43}';
--> statement-breakpoint
-- Reasons typed by admins live apart from the chained events, so that erasure can redact them
-- without breaking the chain. `key` makes `audit_events.reason_digest` (chained) checkable while
-- the text is intact, and unguessable once both are gone.
CREATE TABLE "audit_reasons" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
	"text" text,
	"key" bytea,
	"redacted_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "reason_id" bigint REFERENCES "audit_reasons"("id");
--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "reason_digest" bytea;
--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "chain_seq" bigint;
--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "hash" bytea;
--> statement-breakpoint
CREATE UNIQUE INDEX "audit_chain_seq_idx" ON "audit_events" USING btree ("chain_seq");
--> statement-breakpoint
CREATE INDEX "audit_reason_idx" ON "audit_events" USING btree ("reason_id");
--> statement-breakpoint
-- The head of the chain: one row, locked by every insert, so concurrent transactions chain one
-- after the other (in commit order of the lock, whatever their ids).
CREATE TABLE "audit_chain_head" (
	"id" integer PRIMARY KEY CHECK ("id" = 1),
	"seq" bigint NOT NULL,
	"hash" bytea NOT NULL
);
--> statement-breakpoint
CREATE FUNCTION audit_chain_genesis() RETURNS bytea LANGUAGE sql IMMUTABLE
AS $$ SELECT sha256(convert_to('roster audit chain', 'UTF8')) $$;
--> statement-breakpoint
INSERT INTO "audit_chain_head" ("id", "seq", "hash") VALUES (1, 0, audit_chain_genesis());
--> statement-breakpoint
-- The one canonical form of an event: its row as jsonb without the hash itself, so that columns
-- added later are covered with no change here. Settings that change how values print are fixed.
CREATE FUNCTION audit_event_hash(prev bytea, e audit_events) RETURNS bytea LANGUAGE sql STABLE
SET "TimeZone" = 'UTC' SET "DateStyle" = 'ISO, YMD' SET "IntervalStyle" = 'postgres'
SET "extra_float_digits" = 1
AS $$ SELECT sha256(prev || convert_to((to_jsonb(e) - 'hash')::text, 'UTF8')) $$;
--> statement-breakpoint
-- 244 random bits (gen_random_uuid draws from the strong random source).
CREATE FUNCTION audit_random_key() RETURNS bytea LANGUAGE sql VOLATILE
AS $$ SELECT decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex') $$;
--> statement-breakpoint
CREATE FUNCTION audit_events_chain() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
  head record;
  cached text;
  reason_key bytea;
BEGIN
  IF NEW.reason IS NOT NULL THEN
    -- One reason row per statement, not per event: a bulk action writes one reason for all.
    cached := current_setting('roster.audit_reason', true);
    IF cached IS NOT NULL AND cached <> '' AND split_part(cached, ':', 2) = md5(NEW.reason) THEN
      NEW.reason_id := split_part(cached, ':', 1)::bigint;
      SELECT r.key INTO reason_key FROM audit_reasons r WHERE r.id = NEW.reason_id;
    ELSE
      reason_key := audit_random_key();
      INSERT INTO audit_reasons ("text", "key") VALUES (NEW.reason, reason_key)
        RETURNING id INTO NEW.reason_id;
      PERFORM set_config('roster.audit_reason', NEW.reason_id || ':' || md5(NEW.reason), true);
    END IF;
    NEW.reason_digest := sha256(reason_key || convert_to(NEW.reason, 'UTF8'));
    NEW.reason := NULL;
  ELSIF NEW.action <> 'redact-reason' THEN
    NEW.reason_id := NULL;
    NEW.reason_digest := NULL;
  END IF;
  SELECT h.seq, h.hash INTO head FROM audit_chain_head h WHERE h.id = 1 FOR UPDATE;
  NEW.chain_seq := head.seq + 1;
  NEW.hash := audit_event_hash(head.hash, NEW);
  UPDATE audit_chain_head SET seq = NEW.chain_seq, hash = NEW.hash WHERE id = 1;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
-- Existing events: reasons moved out, then chained in id order (the append-only trigger is off
-- for this one transaction only).
ALTER TABLE "audit_events" DISABLE TRIGGER "audit_events_no_update_or_delete";
--> statement-breakpoint
DO $$
DECLARE
  e audit_events;
  k bytea;
  rid bigint;
  prev bytea := audit_chain_genesis();
  n bigint := 0;
BEGIN
  FOR e IN SELECT * FROM audit_events ORDER BY id LOOP
    n := n + 1;
    IF e.reason IS NOT NULL THEN
      k := audit_random_key();
      INSERT INTO audit_reasons ("text", "key") VALUES (e.reason, k) RETURNING id INTO rid;
      e.reason_id := rid;
      e.reason_digest := sha256(k || convert_to(e.reason, 'UTF8'));
      e.reason := NULL;
    END IF;
    e.chain_seq := n;
    e.hash := audit_event_hash(prev, e);
    UPDATE audit_events SET reason = e.reason, reason_id = e.reason_id,
      reason_digest = e.reason_digest, chain_seq = e.chain_seq, hash = e.hash
    WHERE id = e.id;
    prev := e.hash;
  END LOOP;
  UPDATE audit_chain_head SET seq = n, hash = prev WHERE id = 1;
END $$;
--> statement-breakpoint
ALTER TABLE "audit_events" ENABLE TRIGGER "audit_events_no_update_or_delete";
--> statement-breakpoint
-- "zz": BEFORE triggers fire by name, and this one must see the row as it will be stored.
CREATE TRIGGER "zz_audit_events_chain" BEFORE INSERT ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION audit_events_chain();
--> statement-breakpoint
CREATE TRIGGER "audit_events_no_truncate" BEFORE TRUNCATE ON "audit_events"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
--> statement-breakpoint
CREATE TRIGGER "audit_chain_head_no_truncate" BEFORE TRUNCATE ON "audit_chain_head"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
--> statement-breakpoint
-- The role the app connects as (on a PostgreSQL server): it may read and append to the audit,
-- never rewrite, delete, truncate it or touch its triggers (which takes the owner). Login roles
-- join it: CREATE ROLE roster_web LOGIN PASSWORD '…' IN ROLE roster_app.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'roster_app') THEN
    BEGIN
      CREATE ROLE roster_app NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL; -- created meanwhile by a migration of another database on the same server
    END;
  END IF;
END $$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO roster_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO roster_app;
--> statement-breakpoint
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO roster_app;
--> statement-breakpoint
REVOKE ALL ON "audit_events" FROM roster_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON "audit_events" TO roster_app;
--> statement-breakpoint
REVOKE ALL ON "audit_chain_head" FROM roster_app;
--> statement-breakpoint
GRANT SELECT ON "audit_chain_head" TO roster_app;
--> statement-breakpoint
REVOKE ALL ON "audit_reasons" FROM roster_app;
--> statement-breakpoint
GRANT SELECT, UPDATE ("text", "key", "redacted_at") ON "audit_reasons" TO roster_app;
--> statement-breakpoint
-- Tables later migrations create get the ordinary grants (audit-like ones must revoke them).
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO roster_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO roster_app;
