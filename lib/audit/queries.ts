import { and, desc, eq, gte, inArray, lt, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { type Executor, queryRows } from "@/db/client";
import {
  auditEvents,
  auditReasons,
  RECORD_KINDS,
  type RecordKind,
  type UserStatus,
  users,
} from "@/db/schema";
import { LIFECYCLE_ACTIONS } from "@/lib/users/lifecycle";
import { type AuditView, auditActionLabel } from "./view";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A person an event names: null name when the user has since been deleted. */
export type AuditPerson = { id: string; name: string | null; email: string | null };

export type AuditRow = {
  id: number;
  at: string;
  action: string;
  /** Null when no user did it (the system). */
  actor: AuditPerson | null;
  target: AuditPerson | null;
  fromStatus: UserStatus | null;
  toStatus: UserStatus | null;
  recordsMoved: {
    counts: Partial<Record<RecordKind, number>>;
    newOwner: AuditPerson | null;
  } | null;
  reason: string | null;
};

/** Escapes LIKE wildcards so that a search for "50%" means the text "50%". */
function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Users an actor or target filter names: an exact id, or a part of a name or email. */
function whoMatches(
  column: typeof auditEvents.actorId | typeof auditEvents.targetId,
  text: string,
): SQL {
  if (UUID.test(text)) return eq(column, text.toLowerCase());
  const pattern = likePattern(text);
  // Through the users' trigram indexes first, then the audit's (actor|target, at) index.
  return inArray(
    column,
    sql`(select u.id from users u where u.name ilike ${pattern} or u.email ilike ${pattern})`,
  );
}

function nextDay(day: string): Date {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d;
}

/** The WHERE of an audit view. Days are UTC days, both ends included. */
function auditFilterWhere(view: AuditView): SQL | undefined {
  const parts: SQL[] = [];
  if (view.actor) parts.push(whoMatches(auditEvents.actorId, view.actor));
  if (view.target) parts.push(whoMatches(auditEvents.targetId, view.target));
  if (view.action) parts.push(eq(auditEvents.action, view.action));
  if (view.from) parts.push(gte(auditEvents.at, new Date(`${view.from}T00:00:00Z`)));
  if (view.to) parts.push(lt(auditEvents.at, nextDay(view.to)));
  return parts.length ? and(...parts) : undefined;
}

const actorUser = alias(users, "actor_user");
const targetUser = alias(users, "target_user");

function person(id: string | null, name: string | null, email: string | null): AuditPerson | null {
  return id ? { id, name, email } : null;
}

/** One page of the audit log, newest first, with the total for the pager. */
export async function listAuditEvents(
  db: Executor,
  view: AuditView,
): Promise<{ rows: AuditRow[]; total: number }> {
  const where = auditFilterWhere(view);
  const [events, [count]] = await Promise.all([
    db
      .select({
        id: auditEvents.id,
        at: auditEvents.at,
        action: auditEvents.action,
        actorId: auditEvents.actorId,
        actorName: actorUser.name,
        actorEmail: actorUser.email,
        targetId: auditEvents.targetId,
        targetName: targetUser.name,
        targetEmail: targetUser.email,
        fromStatus: auditEvents.fromStatus,
        toStatus: auditEvents.toStatus,
        recordsMoved: auditEvents.recordsMoved,
        reason: auditReasons.text,
      })
      .from(auditEvents)
      .leftJoin(auditReasons, eq(auditReasons.id, auditEvents.reasonId))
      .leftJoin(actorUser, eq(actorUser.id, auditEvents.actorId))
      .leftJoin(targetUser, eq(targetUser.id, auditEvents.targetId))
      .where(where)
      .orderBy(desc(auditEvents.at), desc(auditEvents.id))
      .limit(view.size)
      .offset((view.page - 1) * view.size),
    db.select({ n: sql<number>`count(*)::int` }).from(auditEvents).where(where),
  ]);

  // New owners are named inside the jsonb: look them up in one query for the whole page.
  const ownerIds = [
    ...new Set(
      events
        .map((e) => e.recordsMoved?.newOwnerId)
        .filter((id): id is string => typeof id === "string" && UUID.test(id)),
    ),
  ];
  const owners = new Map<string, { name: string; email: string }>();
  if (ownerIds.length > 0) {
    const found = await db
      .select({ id: users.id, name: users.name, email: users.email })
      .from(users)
      .where(inArray(users.id, ownerIds));
    for (const o of found) owners.set(o.id, o);
  }

  const rows = events.map((e): AuditRow => {
    const moved = e.recordsMoved;
    const ownerId = typeof moved?.newOwnerId === "string" ? moved.newOwnerId : null;
    const owner = ownerId ? owners.get(ownerId) : undefined;
    return {
      id: Number(e.id),
      at: new Date(e.at).toISOString(),
      action: e.action,
      actor: person(e.actorId, e.actorName, e.actorEmail),
      target: person(e.targetId, e.targetName, e.targetEmail),
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      recordsMoved: moved
        ? {
            counts: Object.fromEntries(
              RECORD_KINDS.filter((k) => Number(moved[k] ?? 0) > 0).map((k) => [
                k,
                Number(moved[k]),
              ]),
            ),
            newOwner: ownerId
              ? { id: ownerId, name: owner?.name ?? null, email: owner?.email ?? null }
              : null,
          }
        : null,
      reason: e.reason,
    };
  });
  return { rows, total: Number(count?.n ?? 0) };
}

/**
 * The actions the filter offers: every lifecycle action, plus any other action the log holds
 * (found by a skip scan of the action index: one index probe per distinct action).
 */
export async function auditActionOptions(
  db: Executor,
): Promise<{ value: string; label: string }[]> {
  const found = await queryRows<{ action: string }>(
    db,
    sql`
    with recursive a(action) as (
      (select action from audit_events order by action limit 1)
      union all
      select (select e.action from audit_events e where e.action > a.action order by e.action limit 1)
      from a where a.action is not null
    )
    select action from a where action is not null`,
  );
  const values = new Set<string>([...LIFECYCLE_ACTIONS, ...found.map((r) => r.action)]);
  return [...values]
    .map((value) => ({ value, label: auditActionLabel(value) }))
    .sort((a, b) => a.label.localeCompare(b.label));
}
