-- The chain trigger as in 0013, cheaper per event (issue 16: an import of 100,000 people writes
-- 100,000 events). Each event's hash is the same function of the row as before: the trigger now
-- evaluates audit_event_hash's own expression, sha256(prev || convert_to((to_jsonb(e) - 'hash')
-- ::text, 'UTF8')), itself, under the same four settings (SET clauses of this function now, once
-- per event, instead of a call of a SQL function that can't be inlined: a second settings
-- save/restore and an executor start per event). audit_event_hash stays the definition
-- `audit:verify` recomputes; chain.test.ts checks that the trigger's settings still include all of
-- its settings, and that events written under other session settings verify. The running head is
-- carried by an assignment, not a PERFORM (a query per event). Chains already written are not
-- touched.
CREATE OR REPLACE FUNCTION audit_events_chain() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
SET "TimeZone" = 'UTC' SET "DateStyle" = 'ISO, YMD' SET "IntervalStyle" = 'postgres'
SET "extra_float_digits" = 1
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
  -- audit_event_hash(prev_hash, NEW), evaluated here (the settings are this function's).
  NEW.hash := sha256(prev_hash || convert_to((to_jsonb(NEW) - 'hash')::text, 'UTF8'));
  running := set_config('roster.audit_head', NEW.chain_seq || ':' || encode(NEW.hash, 'hex'), true);
  RETURN NEW;
END;
$$;
--> statement-breakpoint
-- The next batch of a job's staged rows (new-users-job.ts), in line order. A new import's id is
-- never in csv_import_rows' statistics (its rows came after the last ANALYZE): the planner guessed
-- a few rows, then read every remaining row of the import and sorted them at each batch (100,000
-- rows in batches of ~2,000: ~50 ms a batch at first). Planned without bitmap scans, the primary
-- key (import_id, line) is read in order from `p_after` and the scan stops after `p_limit` rows.
CREATE FUNCTION csv_import_batch(p_import uuid, p_after integer, p_limit integer)
RETURNS TABLE (line integer, name text, email text, role text, status text)
LANGUAGE sql STABLE SET enable_bitmapscan = off
AS $$
  SELECT r.line, r.name, r.email, r.role, r.status FROM csv_import_rows r
  WHERE r.import_id = p_import AND r.outcome = 'create' AND r.line > p_after
  ORDER BY r.line LIMIT p_limit
$$;
