-- The chain's head was updated once per event. In one transaction each update leaves a row version
-- the next lookup walks past, so a statement of n events cost O(n²) (100,000 events: two minutes).
-- Now the first event of a transaction locks the head (FOR UPDATE, held to commit as before, so
-- transactions still chain one after the other), the events carry the running head in a
-- transaction-local setting, and the head row is written once per statement, after it.
-- SET LOCAL values follow savepoints: a rolled-back subtransaction takes its events, its lock and
-- its running head with it.
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
CREATE FUNCTION audit_chain_head_write() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
  running text := current_setting('roster.audit_head', true);
BEGIN
  IF running IS NOT NULL AND running <> '' THEN
    UPDATE audit_chain_head
      SET seq = split_part(running, ':', 1)::bigint, hash = decode(split_part(running, ':', 2), 'hex')
      WHERE id = 1;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "audit_events_chain_head" AFTER INSERT ON "audit_events"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_head_write();
