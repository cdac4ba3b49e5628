import { inArray, type SQL, sql } from "drizzle-orm";
import { type Executor, queryRows } from "@/db/client";
import {
  auditEvents,
  RECORD_KINDS,
  type RecordKind,
  type RecordsMoved,
  type UserRole,
  type UserStatus,
  users,
} from "@/db/schema";
import { isUuid, likePattern, uuidArray } from "@/db/sql";
import { pageStart, validPosition } from "@/lib/page-position";
import { VERB_NAMES } from "@/lib/users/lifecycle";
import { userSearchText } from "@/lib/users/queries";
import {
  SCIM_DELETE_LABELS,
  type ScimDelete,
  SETTING_LABELS,
  type SettingName,
} from "@/lib/workspace-settings";
import { ROLE_LABELS } from "@/model/roles";
import { type AuditView, auditActionLabel, personFilterOf } from "./view";

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
  /** The target's role before and after (change role, transfer workspace ownership). */
  roleChange: { from: UserRole; to: UserRole } | null;
  /** The target's access end date before and after (schedule deactivation), ISO or null. */
  accessEnd: { from: string | null; to: string | null } | null;
  reason: string | null;
  /** A workspace setting's change (no target user): which, from and to, as labelled words. */
  setting: { name: string; from: string; to: string } | null;
  /** What an event with no target user was about, in words: a SCIM token ("SCIM token “Okta”"). */
  subject: string | null;
};

/** What an event's `records_moved` may hold: records and their new owner, or roles from and to. */
type EventPayload = Partial<RecordsMoved> & {
  roles?: Record<string, [UserRole, UserRole]>;
  access_ends_at?: Record<string, [string | null, string | null]>;
};

/** The target's access end date change an event records, keyed by user (apply-sql.ts). */
function accessEndOf(payload: EventPayload | null, targetId: string | null) {
  const pair = targetId ? payload?.access_ends_at?.[targetId] : undefined;
  return pair && pair.length === 2 ? { from: pair[0], to: pair[1] } : null;
}

/** The target's role change an event records, keyed by user (apply-sql.ts, workspace-owner.ts). */
function roleChangeOf(payload: EventPayload | null, targetId: string | null) {
  const pair = targetId ? payload?.roles?.[targetId] : undefined;
  return pair && pair.length === 2 ? { from: pair[0], to: pair[1] } : null;
}

/** The SCIM token an event of `create-scim-token` / `revoke-scim-token` names. */
function subjectOf(moved: unknown): string | null {
  const token = (moved as { scimToken?: { name?: unknown } } | null)?.scimToken;
  return typeof token?.name === "string" ? `SCIM token “${token.name}”` : null;
}

type SettingMoved = {
  setting?: { name?: unknown; label?: unknown; from?: unknown; to?: unknown };
} | null;

/** The people a setting's change names by id (the default owner), to look up with the page's. */
function settingPeople(moved: unknown): unknown[] {
  const s = (moved as SettingMoved)?.setting;
  return s?.name === "defaultOwner" ? [s.from, s.to] : [];
}

/** The setting change an event of `change-setting` records, labelled for people. */
function settingChangeOf(
  moved: unknown,
  nameOf: (id: string) => string | undefined,
): AuditRow["setting"] {
  const s = (moved as SettingMoved)?.setting;
  if (!s || typeof s.name !== "string") return null;
  // A policy's change names itself (lib/policies/define.ts); a setting's label is looked up.
  const label =
    typeof s.label === "string" ? s.label : (SETTING_LABELS[s.name as SettingName] ?? s.name);
  const shown = (v: unknown) => {
    if (typeof v !== "string" || v === "")
      return s.name === "defaultOwner" ? "(none)" : "(default)";
    if (s.name === "defaultOwner") return isUuid(v) ? (nameOf(v) ?? "Deleted user") : v;
    if (s.name === "scimDelete") return SCIM_DELETE_LABELS[v as ScimDelete] ?? v;
    if (s.name === "defaultRole") return ROLE_LABELS[v as UserRole] ?? v;
    return v;
  };
  return { name: label, from: shown(s.from), to: shown(s.to) };
}

/**
 * How many people a name filter may match and still filter the log: their ids, each person's
 * events one ordered index range, merged. A filter that matches more is refused: the page says
 * how many it matched and offers some of them to pick, by id. A semi-join on the pattern was
 * exact but walked the log looking up each distinct person (bench/RESULTS.md, issue 20 §1).
 */
const MAX_LISTED_PEOPLE = 100;
/** How far a too-broad filter counts its people: "matches 437 people", past it "more than 1,000". */
const MAX_COUNTED_PEOPLE = 1000;
/** How many of a too-broad filter's people the page offers to pick from. */
const PICKABLE_PEOPLE = 20;

/** A person to pick from a too-broad filter's list. */
type MatchedPerson = { id: string; name: string; email: string };

/** A name filter that matches too many people to answer: how many, and the first ones by name. */
export type BroadFilter = {
  side: "actor" | "target";
  text: string;
  /** How many people it matched; capped: more than `n`. */
  matched: { n: number; capped: boolean };
  /**
   * The first of them by name, then id: the first of all when not capped, else the first of
   * the 1,000 found (the page then says "20 of them, by name").
   */
  people: MatchedPerson[];
};

/** The people an actor or target filter names: their ids, or too many to list. */
type People = { ids: string[] } | { broad: Omit<BroadFilter, "side"> };

async function matchedPeople(db: Executor, value: string): Promise<People> {
  const filter = personFilterOf(value);
  if ("id" in filter) return { ids: [filter.id] };
  // One pass over at most 1,000 matches (the trigram index): counts them and sorts them by name;
  // the first 101 are the filter's ids when there are few, or the first to pick from when not.
  const rows = await queryRows<MatchedPerson & { n: number }>(
    db,
    sql`with m as materialized (
        select id, name, email from ${users} where ${userSearchText} ilike ${likePattern(filter.text)}
        limit ${MAX_COUNTED_PEOPLE + 1}
      )
      select id, name, email, (select count(*) from m)::int as n from m
      order by name, id limit ${MAX_LISTED_PEOPLE + 1}`,
  );
  if (rows.length <= MAX_LISTED_PEOPLE) return { ids: rows.map((r) => r.id) };
  const n = Number(rows[0]?.n ?? 0);
  return {
    broad: {
      text: filter.text,
      matched:
        n > MAX_COUNTED_PEOPLE ? { n: MAX_COUNTED_PEOPLE, capped: true } : { n, capped: false },
      people: rows.slice(0, PICKABLE_PEOPLE).map(({ id, name, email }) => ({ id, name, email })),
    },
  };
}

/** An event's actor or target is one of the people, by id. */
function personWhere(column: SQL, ids: string[]): SQL {
  return sql`${column} = any(${uuidArray(ids)})`;
}

function nextDay(day: string): Date {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d;
}

/** The people filters of a view, as ids (null: no such filter). */
type Resolved = { actors: string[] | null; targets: string[] | null };

/** The WHERE of an audit view, with its people filters. Days are UTC, both included. */
function filterWhere(view: AuditView, people: Resolved, e = "e"): SQL {
  const col = (name: string) => sql.raw(`${e}.${name}`);
  const parts: SQL[] = [sql`true`];
  if (people.actors) parts.push(personWhere(col("actor_id"), people.actors));
  if (people.targets) parts.push(personWhere(col("target_id"), people.targets));
  if (view.action) parts.push(sql`${col("action")} = ${view.action}`);
  // The reasons are few next to the events (one per action, a bulk one shared): the matching
  // ones first, then their events by audit_reason_idx. A redacted reason (null text) never matches.
  if (view.reason)
    parts.push(
      sql`${col("reason_id")} in (select r.id from audit_reasons r where r.text ilike ${likePattern(view.reason)})`,
    );
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
  | { kind: "key"; side: "after" | "before"; at: string; id: number; pos: number | null };

const AT_TEXT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2}$/;

/** `pos`: where the page the cursor leads to starts (0-based), for the pager's words only. */
function encodeAuditCursor(
  side: "after" | "before",
  at: string,
  id: number,
  pos: number | null,
): string {
  const body = [side === "after" ? "a" : "b", at, id, ...(pos === null ? [] : [pos])];
  return Buffer.from(JSON.stringify(body), "utf8").toString("base64url");
}

function decodeAuditCursor(raw: string | undefined): AuditCursor {
  if (!raw) return { kind: "first" };
  if (raw === "last") return { kind: "last" };
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(raw)) return { kind: "first" };
  try {
    const v: unknown = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
    if (!Array.isArray(v) || v.length < 3 || v.length > 4) return { kind: "first" };
    const [side, at, id, pos] = v as unknown[];
    if ((side !== "a" && side !== "b") || typeof at !== "string" || !AT_TEXT.test(at))
      return { kind: "first" };
    if (typeof id !== "number" || !Number.isSafeInteger(id) || id < 1) return { kind: "first" };
    if (pos !== undefined && !validPosition(pos)) return { kind: "first" };
    return { kind: "key", side: side === "a" ? "after" : "before", at, id, pos: pos ?? null };
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
  records_moved: EventPayload | null;
  reason: string | null;
};

/** The people filter given as ids, if any (actors first): each id is an index range of events. */
function listedBy(people: Resolved): { by: "actor_id" | "target_id"; ids: string[] } | null {
  if (people.actors) return { by: "actor_id", ids: people.actors };
  if (people.targets) return { by: "target_id", ids: people.targets };
  return null;
}

/**
 * Up to `limit` events in the log's order (newest first) or backwards, from a cursor. With a
 * people filter listed by ids, each person's events are one ordered scan of (actor|target, at,
 * id), merged: at most people × limit rows are sorted, however many events they have.
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
  const listed = listedBy(people);
  if (listed) {
    const { by, ids } = listed;
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
export type AuditEventsPage = {
  rows: AuditRow[];
  total: { n: number; capped: boolean };
  prev: string | null;
  next: string | null;
  /** Where the page starts (0-based), for "26–50 of 1,234"; null: not known. */
  start: number | null;
};

/** The people an actor or target filter names by id, for its field (name null: deleted since). */
type PickedPeople = { actor: AuditPerson | null; target: AuditPerson | null };

/**
 * What the audit log answers for a view: a page of events, or, when a name filter matches more
 * than 100 people, that it can't (how many, and some to pick): never a subset of the events.
 */
export type AuditLogAnswer =
  | ({ kind: "events"; picked: PickedPeople } & AuditEventsPage)
  | { kind: "too-broad"; broad: BroadFilter[]; picked: PickedPeople };

export async function auditLog(db: Executor, view: AuditView): Promise<AuditLogAnswer> {
  const [actors, targets, picked] = await Promise.all([
    view.actor ? matchedPeople(db, view.actor) : null,
    view.target ? matchedPeople(db, view.target) : null,
    pickedPeople(db, view),
  ]);
  const broad: BroadFilter[] = [];
  if (actors && "broad" in actors) broad.push({ side: "actor", ...actors.broad });
  if (targets && "broad" in targets) broad.push({ side: "target", ...targets.broad });
  if (broad.length > 0) return { kind: "too-broad", broad, picked };
  const ids = (p: People | null) => (p && "ids" in p ? p.ids : null);
  const page = await eventsPage(db, view, { actors: ids(actors), targets: ids(targets) });
  return { kind: "events", picked, ...page };
}

/**
 * One page of the audit log for a view that names people by id (a user's history) or by a name
 * few enough people match. A name filter that matches more throws: callers that take free text
 * from people use `auditLog`, which says so.
 */
export async function listAuditEvents(db: Executor, view: AuditView): Promise<AuditEventsPage> {
  const answer = await auditLog(db, view);
  if (answer.kind === "too-broad") {
    throw new Error(`audit filter matches too many people: ${answer.broad.map((b) => b.side)}`);
  }
  const { rows, total, prev, next, start } = answer;
  return { rows, total, prev, next, start };
}

/** The people the view's actor and target filters name by id, with their name and email. */
async function pickedPeople(db: Executor, view: AuditView): Promise<PickedPeople> {
  const idOf = (value: string) => {
    const f = value ? personFilterOf(value) : null;
    return f && "id" in f ? f.id : null;
  };
  const actorId = idOf(view.actor);
  const targetId = idOf(view.target);
  const wanted = [actorId, targetId].filter((id): id is string => id !== null);
  const found =
    wanted.length === 0
      ? []
      : await db
          .select({ id: users.id, name: users.name, email: users.email })
          .from(users)
          .where(inArray(users.id, wanted));
  const personOf = (id: string | null): AuditPerson | null => {
    if (!id) return null;
    const p = found.find((f) => f.id === id);
    return { id, name: p?.name ?? null, email: p?.email ?? null };
  };
  return { actor: personOf(actorId), target: personOf(targetId) };
}

async function eventsPage(
  db: Executor,
  view: AuditView,
  people: Resolved,
): Promise<AuditEventsPage> {
  const nobody = [people.actors, people.targets].some((ids) => ids?.length === 0);
  if (nobody) return { rows: [], total: { n: 0, capped: false }, prev: null, next: null, start: 0 };
  const cursor = decodeAuditCursor(view.cursor ?? undefined);
  const size = view.size;
  const read = (backwards: boolean, from: { at: string; id: number } | null) =>
    walkEvents(db, view, people, backwards, from, size + 1);
  const first = async () => {
    const rows = await read(false, null);
    return { events: rows.slice(0, size), hasPrev: false, hasNext: rows.length > size, pos: 0 };
  };
  const last = async () => {
    const rows = await read(true, null);
    return {
      events: rows.slice(0, size).reverse(),
      hasPrev: rows.length > size,
      hasNext: false,
      pos: "end" as const,
    };
  };
  const pageOf = async () => {
    if (cursor.kind === "first") return first();
    if (cursor.kind === "last") return last();
    const rows = await read(cursor.side === "before", cursor);
    const pos = cursor.pos;
    if (cursor.side === "after") {
      if (rows.length === 0) return last();
      return { events: rows.slice(0, size), hasPrev: true, hasNext: rows.length > size, pos };
    }
    if (rows.length <= size) return first();
    return { events: rows.slice(0, size).reverse(), hasPrev: true, hasNext: true, pos };
  };
  // The capped count walks the index that holds the filter: a listed person's (actor|target, at,
  // id), else (action, at, id) or (at, id).
  const [page, [count]] = await Promise.all([
    pageOf(),
    queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from (select 1 from ${auditEvents} e where ${filterWhere(view, people)}
        ${listedBy(people) || view.reason ? sql`` : view.action ? sql`order by e.action, e.at, e.id` : sql`order by e.at, e.id`}
        limit ${AUDIT_TOTAL_CAP + 1}) capped`,
    ),
  ]);
  const events = page.events;

  // Names of the page's actors, targets and new owners: one query over the page's ids.
  const personIds = [
    ...new Set(
      events
        .flatMap((e) => [
          e.actor_id,
          e.target_id,
          e.records_moved?.newOwnerId,
          ...settingPeople(e.records_moved),
        ])
        .filter((id): id is string => typeof id === "string" && isUuid(id)),
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
    const setting = settingChangeOf(moved, (id) => names.get(id)?.name);
    const subject = subjectOf(moved);
    const ownerId = typeof moved?.newOwnerId === "string" ? moved.newOwnerId : null;
    const counts = Object.fromEntries(
      RECORD_KINDS.filter((k) => Number(moved?.[k] ?? 0) > 0).map((k) => [k, Number(moved?.[k])]),
    );
    return {
      id: Number(e.id),
      at: new Date(e.at).toISOString(),
      action: e.action,
      actor: personOf(e.actor_id),
      target: personOf(e.target_id),
      fromStatus: e.from_status,
      toStatus: e.to_status,
      setting,
      subject,
      // Roles, a setting or a token alone moved no records.
      recordsMoved:
        moved && !setting && !subject && (ownerId || Object.keys(counts).length > 0)
          ? { counts, newOwner: ownerId ? personOf(ownerId) : null }
          : null,
      roleChange: roleChangeOf(moved, e.target_id),
      accessEnd: accessEndOf(moved, e.target_id),
      reason: e.reason,
    };
  });
  const firstEvent = events[0];
  const lastEvent = events[events.length - 1];
  const n = Number(count?.n ?? 0);
  const total = n > AUDIT_TOTAL_CAP ? { n: AUDIT_TOTAL_CAP, capped: true } : { n, capped: false };
  const start = pageStart(page.pos, events.length, total, page.hasPrev);
  return {
    rows,
    total,
    prev:
      page.hasPrev && firstEvent
        ? encodeAuditCursor(
            "before",
            firstEvent.at_text,
            Number(firstEvent.id),
            start === null ? null : Math.max(0, start - size),
          )
        : null,
    next:
      page.hasNext && lastEvent
        ? encodeAuditCursor(
            "after",
            lastEvent.at_text,
            Number(lastEvent.id),
            start === null ? null : start + events.length,
          )
        : null,
    start,
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
  const values = new Set<string>([...VERB_NAMES, ...found.map((r) => r.action)]);
  return [...values]
    .map((value) => ({ value, label: auditActionLabel(value) }))
    .sort((a, b) => a.label.localeCompare(b.label));
}
