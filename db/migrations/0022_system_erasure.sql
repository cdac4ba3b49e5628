-- Erasure by the system (SCIM's DELETE set to delete permanently, a retention policy): its events
-- have no actor id (the system's name is in the reason), so "deleted by the same actor" compares
-- ids with IS NOT DISTINCT FROM. Only audit_erase_reasons writes redactions (0013's guard), and
-- only of users already deleted by that actor: a null actor reaches no living person's reasons.
CREATE OR REPLACE FUNCTION audit_erase_reasons(p_targets uuid[], p_actor uuid, p_at timestamptz)
RETURNS integer LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
  n integer;
BEGIN
  IF EXISTS (SELECT 1 FROM users u WHERE u.id = ANY(p_targets))
     OR EXISTS (SELECT 1 FROM unnest(p_targets) t(id) WHERE NOT EXISTS (
       SELECT 1 FROM audit_events d
       WHERE d.target_id = t.id AND d.action = 'delete' AND d.actor_id IS NOT DISTINCT FROM p_actor)) THEN
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
