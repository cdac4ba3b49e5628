-- Issue 18. Reasons change only by erasure, through one SECURITY DEFINER function that writes
-- each redaction event itself; the app's role may no longer UPDATE audit_reasons, nor write a
-- redaction event of its own. A reason's digest is sha256(key ‖ text) with a key of exactly 32
-- bytes (audit_random_key): `audit:verify` refuses any other length, so bytes moved from the text
-- into the key no longer verify. Existing digests already have 32-byte keys: chains verify as
-- they were.
REVOKE UPDATE ("text", "key", "redacted_at") ON "audit_reasons" FROM roster_app;
--> statement-breakpoint
REVOKE UPDATE ON "audit_reasons" FROM roster_app;
--> statement-breakpoint
-- A reason kept for a background job: stored once, before its batches, and named by each batch's
-- events (reason_id), so that one redaction reaches all of them. Returns its id.
CREATE FUNCTION audit_reason_keep(p_text text) RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
  rid bigint;
BEGIN
  INSERT INTO audit_reasons ("text", "key") VALUES (p_text, audit_random_key()) RETURNING id INTO rid;
  RETURN rid;
END;
$$;
--> statement-breakpoint
-- The chain trigger as in 0010, and an event may name a kept reason (reason_id, no text): its
-- digest is computed from that reason as stored. A redaction keeps its reason_id.
CREATE OR REPLACE FUNCTION audit_events_chain() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
  head record;
  running text;
  prev_seq bigint;
  prev_hash bytea;
  cached text;
  reason_key bytea;
  kept record;
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
  ELSIF NEW.action <> 'redact-reason' AND NEW.reason_id IS NOT NULL THEN
    SELECT r."text", r."key" INTO kept FROM audit_reasons r WHERE r.id = NEW.reason_id;
    IF NOT FOUND THEN
      NEW.reason_id := NULL;
      NEW.reason_digest := NULL;
    ELSIF kept."key" IS NULL THEN
      -- Redacted before this event: it names the reason, and proves nothing about a text.
      NEW.reason_digest := NULL;
    ELSE
      NEW.reason_digest := sha256(kept."key" || convert_to(kept."text", 'UTF8'));
    END IF;
  ELSIF NEW.action <> 'redact-reason' THEN
    NEW.reason_id := NULL;
    NEW.reason_digest := NULL;
  END IF;
  running := current_setting('roster.audit_head', true);
  IF running IS NULL OR running = '' THEN
    SELECT h.seq, h.hash INTO head FROM audit_chain_head h WHERE h.id = 1 FOR UPDATE;
    prev_seq := head.seq;
    prev_hash := head.hash;
  ELSE
    prev_seq := split_part(running, ':', 1)::bigint;
    prev_hash := decode(split_part(running, ':', 2), 'hex');
  END IF;
  NEW.chain_seq := prev_seq + 1;
  NEW.hash := audit_event_hash(prev_hash, NEW);
  PERFORM set_config('roster.audit_head', NEW.chain_seq || ':' || encode(NEW.hash, 'hex'), true);
  RETURN NEW;
END;
$$;
--> statement-breakpoint
-- A redaction event is written only by audit_erase_reasons (which runs as the tables' owner):
-- SECURITY INVOKER, so current_user is whoever wrote the INSERT.
CREATE FUNCTION audit_events_redaction_guard() RETURNS trigger LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
BEGIN
  IF NOT pg_has_role(current_user,
      (SELECT c.relowner FROM pg_class c WHERE c.oid = 'public.audit_events'::regclass), 'USAGE') THEN
    RAISE EXCEPTION 'audit: a reason is redacted only by an erasure (audit_erase_reasons)'
      USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "audit_events_redaction_guard" BEFORE INSERT ON "audit_events"
  FOR EACH ROW WHEN (NEW.action = 'redact-reason') EXECUTE FUNCTION audit_events_redaction_guard();
--> statement-breakpoint
-- Erasure: the whole text of every reason attached to any event about these users (a shared bulk
-- reason included) goes, with its key, and each redaction is a chained event in the name of the
-- actor who asked. Only for users already erased (no row left) by a `delete` event of that actor:
-- nobody can redact the reasons about a living person, nor in someone else's name.
CREATE FUNCTION audit_erase_reasons(p_targets uuid[], p_actor uuid, p_at timestamptz)
RETURNS integer LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
  n integer;
BEGIN
  IF EXISTS (SELECT 1 FROM users u WHERE u.id = ANY(p_targets))
     OR EXISTS (SELECT 1 FROM unnest(p_targets) t(id) WHERE NOT EXISTS (
       SELECT 1 FROM audit_events d
       WHERE d.target_id = t.id AND d.action = 'delete' AND d.actor_id = p_actor)) THEN
    RAISE EXCEPTION 'audit: a reason is redacted only by an erasure (audit_erase_reasons), of a deleted user, by who deleted them'
      USING ERRCODE = '42501';
  END IF;
  WITH hit AS (
    SELECT DISTINCT e.reason_id, e.target_id
    FROM audit_events e JOIN audit_reasons r ON r.id = e.reason_id
    WHERE e.target_id = ANY(p_targets) AND e.action <> 'redact-reason' AND r."key" IS NOT NULL),
  redacted AS (
    UPDATE audit_reasons r SET "text" = NULL, "key" = NULL, redacted_at = p_at
    WHERE r.id IN (SELECT hit.reason_id FROM hit)
    RETURNING r.id)
  INSERT INTO audit_events (at, actor_id, action, target_id, reason_id)
  SELECT p_at, p_actor, 'redact-reason', hit.target_id, hit.reason_id
  FROM hit JOIN redacted ON redacted.id = hit.reason_id
  ORDER BY hit.reason_id, hit.target_id;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END;
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION audit_erase_reasons(uuid[], uuid, timestamptz) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION audit_erase_reasons(uuid[], uuid, timestamptz) TO roster_app;
--> statement-breakpoint
REVOKE ALL ON FUNCTION audit_reason_keep(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION audit_reason_keep(text) TO roster_app;
--> statement-breakpoint
-- Throttle rows are keyed by an HMAC with the server's secret now: the old unkeyed hashes go
-- (they only counted recent failures), and stale rows are found by their last failure.
DELETE FROM "auth_throttle";
--> statement-breakpoint
CREATE INDEX "auth_throttle_last_failure_idx" ON "auth_throttle" USING btree ("last_failure_at");
