-- How an event prints as jsonb also depends on bytea_output: to_jsonb prints reason_digest (bytea)
-- as "\\x41ff" under 'hex' (the default) and as "A\\377" under 'escape'. audit_event_hash (0008)
-- and the chain trigger (0030) fixed the other four settings, not this one, so an event with a
-- reason written by a session set to 'escape' would not verify from a session with the default,
-- and the other way round. Both now fix it to the default: every event written so far was hashed
-- under 'hex' (Roster never sets it), so every stored hash stays as it is.
ALTER FUNCTION audit_event_hash(bytea, audit_events) SET bytea_output = 'hex';
--> statement-breakpoint
ALTER FUNCTION audit_events_chain() SET bytea_output = 'hex';
