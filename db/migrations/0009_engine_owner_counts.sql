-- Records per owner, per kind (one column per record table), with the owner's status and role:
-- the preview of a transfer action totals what moves from this table instead of joining every
-- record with the selection. Statement triggers with transition tables keep it equal to count(*)
-- in the transaction of every change to records (insert, transfer, undo, delete, truncate) and
-- to an owner's status or role. Only owners of at least one record have a row.
CREATE TABLE "owner_record_counts" (
  "owner_id" uuid PRIMARY KEY,
  "status" "user_status",
  "role" "user_role",
  "project" integer DEFAULT 0 NOT NULL,
  "automation" integer DEFAULT 0 NOT NULL
);--> statement-breakpoint
INSERT INTO "owner_record_counts" ("owner_id", "status", "role", "project", "automation")
  SELECT r.owner_id, u.status, u.role,
    count(*) FILTER (WHERE r.kind = 'project'), count(*) FILTER (WHERE r.kind = 'automation')
  FROM (SELECT owner_id, 'project' AS kind FROM projects UNION ALL SELECT owner_id, 'automation' FROM automations) r
  JOIN users u ON u.id = r.owner_id
  GROUP BY r.owner_id, u.status, u.role;--> statement-breakpoint
-- Adds signed deltas of one kind (a column of the table) per owner. Existing rows are updated
-- first; owners new to the table are inserted with their status and role; rows that fall to zero
-- records go. In owner id order, like every lock of the lifecycle engine.
CREATE FUNCTION owner_record_counts_add(kind text, owners uuid[], deltas bigint[]) RETURNS void AS $$
BEGIN
  EXECUTE format(
    'UPDATE owner_record_counts c SET %1$I = c.%1$I + d.n
       FROM (SELECT * FROM unnest($1, $2) AS t(owner_id, n) ORDER BY owner_id) d
      WHERE c.owner_id = d.owner_id', kind) USING owners, deltas;
  EXECUTE format(
    'INSERT INTO owner_record_counts AS c (owner_id, status, role, %1$I)
       SELECT d.owner_id, u.status, u.role, d.n
       FROM unnest($1, $2) AS d(owner_id, n) JOIN users u ON u.id = d.owner_id
       WHERE d.n > 0 AND NOT EXISTS (SELECT 1 FROM owner_record_counts e WHERE e.owner_id = d.owner_id)
       ORDER BY d.owner_id
     ON CONFLICT (owner_id) DO UPDATE SET %1$I = c.%1$I + excluded.%1$I', kind) USING owners, deltas;
  DELETE FROM owner_record_counts c
   WHERE c.owner_id = ANY(owners) AND c.project = 0 AND c.automation = 0;
END;
$$ LANGUAGE plpgsql;--> statement-breakpoint
CREATE FUNCTION records_count_inserted() RETURNS trigger AS $$
DECLARE owners uuid[]; deltas bigint[];
BEGIN
  SELECT array_agg(owner_id ORDER BY owner_id), array_agg(n ORDER BY owner_id) INTO owners, deltas
    FROM (SELECT owner_id, count(*) AS n FROM new_rows GROUP BY owner_id) d;
  IF owners IS NOT NULL THEN PERFORM owner_record_counts_add(TG_ARGV[0], owners, deltas); END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;--> statement-breakpoint
CREATE FUNCTION records_count_updated() RETURNS trigger AS $$
DECLARE owners uuid[]; deltas bigint[];
BEGIN
  -- Only a change of owner counts (a renamed record writes nothing).
  SELECT array_agg(owner_id ORDER BY owner_id), array_agg(n ORDER BY owner_id) INTO owners, deltas
    FROM (
      SELECT owner_id, sum(d) AS n FROM (
        SELECT owner_id, 1 AS d FROM new_rows UNION ALL SELECT owner_id, -1 FROM old_rows
      ) c GROUP BY owner_id HAVING sum(d) <> 0
    ) d;
  IF owners IS NOT NULL THEN PERFORM owner_record_counts_add(TG_ARGV[0], owners, deltas); END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;--> statement-breakpoint
CREATE FUNCTION records_count_deleted() RETURNS trigger AS $$
DECLARE owners uuid[]; deltas bigint[];
BEGIN
  SELECT array_agg(owner_id ORDER BY owner_id), array_agg(n ORDER BY owner_id) INTO owners, deltas
    FROM (SELECT owner_id, -count(*) AS n FROM old_rows GROUP BY owner_id) d;
  IF owners IS NOT NULL THEN PERFORM owner_record_counts_add(TG_ARGV[0], owners, deltas); END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;--> statement-breakpoint
CREATE FUNCTION records_count_truncated() RETURNS trigger AS $$
BEGIN
  EXECUTE format('UPDATE owner_record_counts SET %1$I = 0 WHERE %1$I <> 0', TG_ARGV[0]);
  DELETE FROM owner_record_counts WHERE project = 0 AND automation = 0;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;--> statement-breakpoint
CREATE TRIGGER projects_count_insert AFTER INSERT ON "projects"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION records_count_inserted('project');--> statement-breakpoint
CREATE TRIGGER projects_count_update AFTER UPDATE ON "projects"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION records_count_updated('project');--> statement-breakpoint
CREATE TRIGGER projects_count_delete AFTER DELETE ON "projects"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION records_count_deleted('project');--> statement-breakpoint
CREATE TRIGGER projects_count_truncate AFTER TRUNCATE ON "projects"
  FOR EACH STATEMENT EXECUTE FUNCTION records_count_truncated('project');--> statement-breakpoint
CREATE TRIGGER automations_count_insert AFTER INSERT ON "automations"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION records_count_inserted('automation');--> statement-breakpoint
CREATE TRIGGER automations_count_update AFTER UPDATE ON "automations"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION records_count_updated('automation');--> statement-breakpoint
CREATE TRIGGER automations_count_delete AFTER DELETE ON "automations"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION records_count_deleted('automation');--> statement-breakpoint
CREATE TRIGGER automations_count_truncate AFTER TRUNCATE ON "automations"
  FOR EACH STATEMENT EXECUTE FUNCTION records_count_truncated('automation');--> statement-breakpoint
-- An owner's status and role follow the user (a lifecycle change, a new role).
CREATE FUNCTION owner_counts_user_updated() RETURNS trigger AS $$
BEGIN
  UPDATE owner_record_counts c SET status = n.status, role = n.role
    FROM (SELECT id, status, role FROM new_rows ORDER BY id) n
   WHERE c.owner_id = n.id AND (c.status IS DISTINCT FROM n.status OR c.role IS DISTINCT FROM n.role);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;--> statement-breakpoint
CREATE FUNCTION owner_counts_user_deleted() RETURNS trigger AS $$
BEGIN
  DELETE FROM owner_record_counts c USING old_rows o WHERE c.owner_id = o.id;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;--> statement-breakpoint
CREATE TRIGGER users_owner_counts_update AFTER UPDATE ON "users"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION owner_counts_user_updated();--> statement-breakpoint
CREATE TRIGGER users_owner_counts_delete AFTER DELETE ON "users"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION owner_counts_user_deleted();
--> statement-breakpoint
CREATE FUNCTION owner_counts_users_truncated() RETURNS trigger AS $$
BEGIN
  DELETE FROM owner_record_counts;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;--> statement-breakpoint
CREATE TRIGGER users_owner_counts_truncate AFTER TRUNCATE ON "users"
  FOR EACH STATEMENT EXECUTE FUNCTION owner_counts_users_truncated();
