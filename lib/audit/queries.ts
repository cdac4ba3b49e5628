import { inArray, type SQL, sql } from "drizzle-orm";
import { type Executor, queryRows } from "@/db/client";
import {
  auditEvents,
  RECORD_KINDS,
  type RecordKind,
  type RecordsMoved,
  type UserStatus,
  users,
} from "@/db/schema";
import { LIFECYCLE_ACTIONS } from "@/lib/users/lifecycle";
import { userSearchText } from "@/lib/users/queries";
import { uuidArray } from "@/lib/users/sql";
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

/** How many users a name filter may stand for: each one is its own ordered index scan. */
const MAX_MATCHED_PEOPLE = 100;

/** The users an actor or target filter names: an exact id, or a part of a name or email. */
async function matchedPeople(db: Executor, text: string): Promise<string[]> {
  if (UUID.test(text)) return [text.toLowerCase()];
  const rows = await queryRows<{ id: string }>(
    db,
    sql`select id from ${users} where ${userSearchText} ilike ${likePattern(text)} limit ${MAX_MATCHED_PEOPLE}`,
  );
  return rows.map((r) => r.id);
}

function nextDay(day: string): Date {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d;
}

type Resolved = { actors: string[] | null; targets: string[] | null };

async function resolvePeople(db: Executor, view: AuditView): Promise<Resolved> {
  const [actors, targets] = await Promise.all([
    view.actor ? matchedPeople(db, view.actor) : null,
    view.target ? matchedPeople(db, view.target) : null,
  ]);
  return { actors, targets };
}

/** The WHERE of an audit view, the people filters resolved to ids. Days are UTC, both included. */
function filterWhere(view: AuditView, people: Resolved, e = "e"): SQL {
  const col = (name: string) => sql.raw(`${e}.${name}`);
  const parts: SQL[] = [sql`true`];
  if (people.actors) parts.push(sql`${col("actor_id")} = any(${uuidArray(people.actors)})`);
  if (people.targets) parts.push(sql`${col("target_id")} = any(${uuidArray(people.targets)})`);
  if (view.action) parts.push(sql`${col("action")} = ${view.action}`);
  if (view.from)
    parts.push(
      sql`${col("at")} >= ${new Date(`${view.from}T00:00:00Z`).toISOString()}::timestamptz`,
    );
  if (view.to) parts.push(sql`${col("at")} < ${nextDay(view.to).toISOString()}::timestamptz`);
  return sql.join(parts, sql` and `);
}

/** A keyset cursor of the audit log: the event's time (as Postgres prints it) and id. */
type AuditCursor =
  | { kind: "first" }
  | { kind: "last" }
  | { kind: "key"; side: "after" | "before"; at: string; id: number };

const AT_TEXT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2}$/;

function encodeAuditCursor(side: "after" | "before", at: string, id: number): string {
  return Buffer.from(JSON.stringify([side === "after" ? "a" : "b", at, id]), "utf8").toString(
    "base64url",
  );
}

function decodeAuditCursor(raw: string | undefined): AuditCursor {
  if (!raw) return { kind: "first" };
  if (raw === "last") return { kind: "last" };
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(raw)) return { kind: "first" };
  try {
    const v: unknown = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
    if (!Array.isArray(v) || v.length !== 3) return { kind: "first" };
    const [side, at, id] = v as unknown[];
    if ((side !== "a" && side !== "b") || typeof at !== "string" || !AT_TEXT.test(at))
      return { kind: "first" };
    if (typeof id !== "number" || !Number.isSafeInteger(id) || id < 1) return { kind: "first" };
    return { kind: "key", side: side === "a" ? "after" : "before", at, id };
  } catch {
    return { kind: "first" };
  }
}

type EventRow = {
  id: string | number;
  at: string | Date;
  at_text: string;
  action: string;
  actor_id: string | null;
  target_id: string | null;
  from_status: UserStatus | null;
  to_status: UserStatus | null;
  records_moved: RecordsMoved | null;
  reason: string | null;
};

/**
 * Up to `limit` events in the log's order (newest first) or backwards, from a cursor. With a
 * people filter, each person's events are one ordered scan of (actor|target, at, id), merged:
 * at most people × limit rows are sorted, however many events they have.
 */
async function walkEvents(
  db: Executor,
  view: AuditView,
  people: Resolved,
  backwards: boolean,
  from: { at: string; id: number } | null,
  limit: number,
): Promise<EventRow[]> {
  const dir = sql.raw(backwards ? "asc" : "desc");
  const op = sql.raw(backwards ? ">" : "<");
  const keyset = from
    ? sql` and (e.at, e.id) ${op} (${from.at}::timestamptz, ${from.id}::bigint)`
    : sql``;
  const cols = sql`e.id, e.at, e.at::text as at_text, e.action, e.actor_id, e.target_id, e.from_status, e.to_status, e.records_moved,
    (select r.text from audit_reasons r where r.id = e.reason_id) as reason`;
  const by = people.actors ? "actor_id" : people.targets ? "target_id" : null;
  const ids = people.actors ?? people.targets;
  if (by && ids) {
    return queryRows<EventRow>(
      db,
      sql`select m.* from unnest(${uuidArray(ids)}) as person(id)
        cross join lateral (
          select ${cols} from ${auditEvents} e
          where e.${sql.raw(by)} = person.id and ${filterWhere(view, people)}${keyset}
          order by e.at ${dir}, e.id ${dir} limit ${limit}
        ) m
        order by m.at ${dir}, m.id ${dir} limit ${limit}`,
    );
  }
  return queryRows<EventRow>(
    db,
    sql`select ${cols} from ${auditEvents} e where ${filterWhere(view, people)}${keyset}
      order by e.at ${dir}, e.id ${dir} limit ${limit}`,
  );
}

const AUDIT_TOTAL_CAP = 1000;

/** One page of the audit log, newest first, by keyset; the total is capped at 1,000. */
export async function listAuditEvents(
  db: Executor,
  view: AuditView,
): Promise<{
  rows: AuditRow[];
  total: { n: number; capped: boolean };
  prev: string | null;
  next: string | null;
}> {
  const people = await resolvePeople(db, view);
  const nobody = (people.actors?.length ?? 1) === 0 || (people.targets?.length ?? 1) === 0;
  if (nobody) return { rows: [], total: { n: 0, capped: false }, prev: null, next: null };
  const cursor = decodeAuditCursor(view.cursor ?? undefined);
  const size = view.size;
  const read = (backwards: boolean, from: { at: string; id: number } | null) =>
    walkEvents(db, view, people, backwards, from, size + 1);
  const first = async () => {
    const rows = await read(false, null);
    return { events: rows.slice(0, size), hasPrev: false, hasNext: rows.length > size };
  };
  const last = async () => {
    const rows = await read(true, null);
    return { events: rows.slice(0, size).reverse(), hasPrev: rows.length > size, hasNext: false };
  };
  const pageOf = async () => {
    if (cursor.kind === "first") return first();
    if (cursor.kind === "last") return last();
    const rows = await read(cursor.side === "before", cursor);
    if (cursor.side === "after") {
      if (rows.length === 0) return last();
      return { events: rows.slice(0, size), hasPrev: true, hasNext: rows.length > size };
    }
    if (rows.length <= size) return first();
    return { events: rows.slice(0, size).reverse(), hasPrev: true, hasNext: true };
  };
  const [page, [count]] = await Promise.all([
    pageOf(),
    queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from (select 1 from ${auditEvents} e where ${filterWhere(view, people)}
        ${people.actors || people.targets ? sql`` : view.action ? sql`order by e.action, e.at, e.id` : sql`order by e.at, e.id`}
        limit ${AUDIT_TOTAL_CAP + 1}) capped`,
    ),
  ]);
  const events = page.events;

  // Names of the page's actors, targets and new owners: one query over the page's ids.
  const personIds = [
    ...new Set(
      events
        .flatMap((e) => [e.actor_id, e.target_id, e.records_moved?.newOwnerId])
        .filter((id): id is string => typeof id === "string" && UUID.test(id)),
    ),
  ];
  const names = new Map<string, { name: string; email: string }>();
  if (personIds.length > 0) {
    const found = await db
      .select({ id: users.id, name: users.name, email: users.email })
      .from(users)
      .where(inArray(users.id, personIds));
    for (const o of found) names.set(o.id, o);
  }
  const personOf = (id: string | null): AuditPerson | null =>
    id ? { id, name: names.get(id)?.name ?? null, email: names.get(id)?.email ?? null } : null;

  const rows = events.map((e): AuditRow => {
    const moved = e.records_moved;
    const ownerId = typeof moved?.newOwnerId === "string" ? moved.newOwnerId : null;
    return {
      id: Number(e.id),
      at: new Date(e.at).toISOString(),
      action: e.action,
      actor: personOf(e.actor_id),
      target: personOf(e.target_id),
      fromStatus: e.from_status,
      toStatus: e.to_status,
      recordsMoved: moved
        ? {
            counts: Object.fromEntries(
              RECORD_KINDS.filter((k) => Number(moved[k] ?? 0) > 0).map((k) => [
                k,
                Number(moved[k]),
              ]),
            ),
            newOwner: ownerId ? personOf(ownerId) : null,
          }
        : null,
      reason: e.reason,
    };
  });
  const firstEvent = events[0];
  const lastEvent = events[events.length - 1];
  const n = Number(count?.n ?? 0);
  return {
    rows,
    total: n > AUDIT_TOTAL_CAP ? { n: AUDIT_TOTAL_CAP, capped: true } : { n, capped: false },
    prev:
      page.hasPrev && firstEvent
        ? encodeAuditCursor("before", firstEvent.at_text, Number(firstEvent.id))
        : null,
    next:
      page.hasNext && lastEvent
        ? encodeAuditCursor("after", lastEvent.at_text, Number(lastEvent.id))
        : null,
  };
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
