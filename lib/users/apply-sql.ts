import { type SQL, sql } from "drizzle-orm";
import { type Executor, queryRows } from "@/db/client";
import { RECORD_KINDS, type RecordsMoved, type UserRole, type UserStatus } from "@/db/schema";
import { eraseReasons } from "@/lib/audit/redact";
import { forgetAccounts } from "@/lib/throttle";
import type { Doer } from "@/model/permissions";
import {
  type ColumnKind,
  definition,
  skipReason,
  type VerbOptions,
  writtenColumns,
} from "@/model/verbs";
import type { Change } from "@/model/verbs/define";
import { LIFECYCLE, type Verb } from "./lifecycle";
import { RECORD_TABLES } from "./ownership";
import { aliasColumns, skipCodeSql, takesSeatSql, targetStatusSql } from "./plan-sql";
import { moveRecordsRemembered } from "./record-transfers";
import type { SelectionSource } from "./selection-sql";
import {
  MAX_RESULT_ITEMS,
  SKIP_REASONS,
  type SkipCode,
  type Skipped,
  type VerbResult,
} from "./verb-types";

/**
 * The set-based apply: the selection is locked and planned into a temporary table of the
 * transaction (`lifecycle_plan`, dropped at commit), and every write is one statement over it
 * (`UPDATE … FROM`, `INSERT … SELECT`). Node sees counts and the first rows of each list, never
 * the selection, except the ids that get an email (bounded by the job threshold or the batch size).
 */

const PLAN = sql.raw("lifecycle_plan");
/** Records per owner and kind, kept by triggers (migration 0009). */
const ORC = sql.raw("owner_record_counts");
/** The rows the action changes. */
const CHANGES = sql`p.in_sel and p.code is null`;

export type PlanArgs = {
  actor: Doer;
  action: Verb;
  /** The action's options (they may choose the target status). */
  options?: VerbOptions;
  /** Locked in the same statement as the targets, in id order: the lock order of every action. */
  newOwnerId?: string | null;
};

/**
 * Locks the selection's users (and the new owner) FOR UPDATE in ONE statement in id order, and
 * writes each one's plan (skip code, status it goes to) into `lifecycle_plan`.
 */
export async function lockAndPlan(
  tx: Executor,
  source: SelectionSource,
  args: PlanArgs,
): Promise<void> {
  const l = aliasColumns("l");
  const owner = args.newOwnerId ?? null;
  await tx.execute(sql`drop table if exists pg_temp.lifecycle_plan`);
  await tx.execute(sql`
    create temp table ${PLAN} on commit drop as
    with locked as materialized (
      select "users"."id", "users"."name", "users"."role", "users"."status", "users"."previous_status",
        ${plainTimeColumns(args.action)}
        ${source.expected?.column ?? sql`null::user_status`} as expected,
        coalesce(${source.where}, false) as in_sel
      from users ${source.expected?.join ?? sql``}
      where ${source.where} ${owner ? sql`or "users"."id" = ${owner}::uuid` : sql``}
      order by "users"."id"
      for update of users
    )
    select l.*, ${skipCodeSql(args.actor, args.action, l, args.options)} as code,
      ${targetStatusSql(args.action, l, args.options)} as to_status
    from locked l`);
  // A temporary table has no statistics until analyzed: without them, the writes below would
  // plan a scan of every user and record instead of a lookup per planned row.
  await tx.execute(sql`analyze ${PLAN}`);
}

/** The times a verb writes without a status (the plan keeps the one before, for the audit). */
function plainTimeColumns(action: Verb): SQL {
  const columns = writtenColumns().filter(
    (c) => c.heldBy === null && c.kind === "datetime" && definition(action).writes?.[c.column],
  );
  return sql.join(
    columns.map((c) => sql`"users".${sql.identifier(c.column)}, `),
    sql``,
  );
}

export type PlanTotals = {
  done: number;
  seatsNeeded: number;
  byReason: Partial<Record<SkipCode, number>>;
  missing: number;
};

export async function planTotals(tx: Executor, source: SelectionSource): Promise<PlanTotals> {
  const p = aliasColumns("p");
  const rows = await queryRows<{ code: SkipCode | null; n: number; seats: number }>(
    tx,
    sql`select p.code, count(*)::int as n,
          count(*) filter (where ${takesSeatSql(p, sql`p.to_status`)})::int as seats
        from ${PLAN} p where p.in_sel group by p.code`,
  );
  const totals: PlanTotals = { done: 0, seatsNeeded: 0, byReason: {}, missing: 0 };
  for (const r of rows) {
    if (r.code === null) {
      totals.done = Number(r.n);
      totals.seatsNeeded = Number(r.seats);
    } else totals.byReason[r.code] = Number(r.n);
  }
  if (source.missing) {
    const [row] = await queryRows<{ n: number }>(
      tx,
      sql`select count(*)::int as n from (${source.missing}) m`,
    );
    totals.missing = Number(row?.n ?? 0);
    if (totals.missing > 0) totals.byReason.notFound = totals.missing;
  }
  return totals;
}

function skippedTotal(totals: PlanTotals): number {
  return Object.values(totals.byReason).reduce((sum, n) => sum + (n ?? 0), 0);
}

/** How many of the users the action changes own records: they need a new owner. */
export async function ownersInPlan(tx: Executor): Promise<number> {
  // The per-owner counts (migration 0009) have a row for every owner of at least one record.
  // The changed ids as one array (an InitPlan), found through the primary key: as a join, the
  // planner hashed the plan and scanned every owner's row (bench/RESULTS.md, "Where the 1.72 ×
  // went"; explain.test.ts fails on that plan).
  const [row] = await queryRows<{ n: number }>(tx, ownersInPlanSql());
  return Number(row?.n ?? 0);
}

/** The query of `ownersInPlan` (its plan is checked in explain.test.ts). */
export function ownersInPlanSql(): SQL {
  return sql`select count(*)::int as n from ${ORC} c
    where c.owner_id = any(array(select p.id from ${PLAN} p where ${CHANGES}))`;
}

export type PlannedOwner = {
  id: string;
  role: UserRole;
  status: UserStatus;
  /** The new owner is one of the users the action changes. */
  changing: boolean;
};

export async function plannedOwner(tx: Executor, id: string): Promise<PlannedOwner | null> {
  const [row] = await queryRows<PlannedOwner>(
    tx,
    sql`select p.id, p.role, p.status, (${CHANGES}) as changing from ${PLAN} p where p.id = ${id}::uuid`,
  );
  return row ?? null;
}

export type WriteArgs = {
  action: Verb;
  /** Null when the system acts. */
  actorId: string | null;
  /** The verb's options: what its `writes` columns are set from. */
  options: VerbOptions;
  now: Date;
  reason: string | null;
  /** A job's reason, kept before its batches (audit_reason_keep): instead of `reason`. */
  reasonId?: number | null;
  requestId: string | null;
  jobId: string | null;
  /** Set when records move: who takes them over. */
  newOwnerId: string | null;
  /** Set when the action has an inverse: the moved records are remembered under it for Undo. */
  changeId: string | null;
  /** An Undo: the records given back per user (what their audit events say moved). */
  returned: Map<string, RecordsMoved> | null;
  hooks?: { afterTransfer?: () => unknown; afterStatus?: () => unknown };
};

/** Audit, record transfer, invitations ended, statuses (or erasure): one statement each. */
export async function writePlan(tx: Executor, args: WriteArgs): Promise<void> {
  const rule = LIFECYCLE[args.action];
  const at = sql`${args.now.toISOString()}::timestamptz`;
  // The audit first: each event counts the records its user owns before they move.
  const m = (k: string) => sql`coalesce(m.${sql.raw(k)}, 0)`;
  const moved = args.newOwnerId
    ? sql`case when ${sql.join(
        RECORD_KINDS.map((k) => m(k)),
        sql` + `,
      )} > 0 then jsonb_strip_nulls(jsonb_build_object('newOwnerId', ${args.newOwnerId}::text, ${sql.join(
        RECORD_KINDS.map((k) => sql`${k}::text, nullif(${m(k)}, 0)`),
        sql`, `,
      )})) end`
    : args.returned && args.returned.size > 0
      ? sql`(${JSON.stringify(Object.fromEntries(args.returned))}::jsonb -> p.id::text)`
      : sql`null::jsonb`;
  // One primary-key lookup per user: the LIMIT keeps the lateral subquery a lookup (pulled up
  // into a join, the planner scanned every owner's row instead).
  const counts = sql`left join lateral (
      select ${sql.join(
        RECORD_KINDS.map((k) => sql`c.${sql.raw(k)}`),
        sql`, `,
      )} from ${ORC} c where c.owner_id = p.id limit 1) m on true`;
  // A plain write is the change itself: the event says the role from and to, keyed by the user
  // as "Transfer workspace ownership" keys its two (lib/users/workspace-owner.ts).
  const { held, cleared, plain, audited } = columnWrites(args.action, args.options);
  const recorded = audited ? sql`(coalesce(${moved}, '{}'::jsonb) || ${audited})` : moved;
  // A job's reason is kept once (reasonId) and named by every batch's events.
  await tx.execute(sql`
    insert into audit_events (at, actor_id, action, target_id, from_status, to_status, records_moved, reason, reason_id, request_id, job_id)
    select ${at}, ${args.actorId}::uuid, ${args.action}, p.id, p.status, p.to_status, ${recorded},
      ${args.reason}, ${args.reasonId ?? null}::bigint, ${args.requestId}, ${args.jobId}::uuid
    from ${PLAN} p ${args.newOwnerId ? counts : sql``}
    where ${CHANGES}
    order by p.id`);

  if (args.newOwnerId) {
    // The changed users' ids as one array (an InitPlan): the records are then found through
    // their owner index, where a subquery made the planner scan the whole record table.
    const owners = sql`array(select p.id from ${PLAN} p where ${CHANGES})`;
    for (const kind of RECORD_KINDS) {
      if (args.changeId) {
        await moveRecordsRemembered(tx, {
          kind,
          owners,
          newOwnerId: args.newOwnerId,
          changeId: args.changeId,
          action: args.action,
          now: args.now,
        });
        continue;
      }
      await tx.execute(sql`
        update ${RECORD_TABLES[kind]} set owner_id = ${args.newOwnerId}::uuid
        where owner_id = any(${owners})`);
    }
  }
  await args.hooks?.afterTransfer?.();

  if (rule.to === null) {
    const people = await queryRows<{ id: string; email: string }>(
      tx,
      sql`select u.id, u.email from users u join ${PLAN} p on p.id = u.id where ${CHANGES}`,
    );
    await eraseUsers(tx);
    // After the rows and the delete events: every reason about them goes, the delete's own too.
    await eraseReasons(tx, {
      userIds: people.map((p) => p.id),
      actorId: args.actorId,
      now: args.now,
    });
    await forgetAccounts(
      tx,
      people.map((p) => p.email),
    );
  } else {
    // An open invitation link must not bring back someone just taken out of use.
    if (rule.endsSessions) {
      await tx.execute(sql`
        update invitations set expires_at = ${at}
        where used_at is null and expires_at > ${at}
          and user_id in (select p.id from ${PLAN} p where ${CHANGES})`);
    }
    await tx.execute(sql`
      update users u set
        status = p.to_status,
        previous_status = case when p.to_status = 'archived' then p.status else p.previous_status end,
        status_changed_at = ${at},
        status_changed_by = ${args.actorId}::uuid,
        ${sql.join([...held, ...cleared, sql``], sql`, `)}
        session_version = u.session_version + ${rule.endsSessions ? 1 : 0}::int
      from ${PLAN} p
      where u.id = p.id and ${CHANGES} and p.to_status is distinct from p.status`);
    if (plain.length > 0) {
      await tx.execute(sql`
        update users u set ${sql.join(plain, sql`, `)}
        from ${PLAN} p where u.id = p.id and ${CHANGES}`);
    }
  }
  await args.hooks?.afterStatus?.();
}

const CASTS: Record<ColumnKind, SQL> = {
  date: sql.raw("date"),
  datetime: sql.raw("timestamptz"),
  role: sql.raw("user_role"),
};

/**
 * The column assignments of a verb's `writes`. `held`: every column that belongs to a status,
 * set from the options where this verb writes it, else cleared (the user leaves their status).
 * `cleared`: the plain-written times, which a change of status clears (an access end date ends
 * with the status it was set in). `plain`: columns written without a status change (change role,
 * schedule deactivation), and `audited`, what the audit event keeps of them:
 * `{ roles: { <user id>: [from, to] } }`, `{ <column>: { <user id>: [from, to] } }` for a time.
 */
function columnWrites(
  action: Verb,
  options: VerbOptions,
): { held: SQL[]; cleared: SQL[]; plain: SQL[]; audited: SQL | null } {
  const writes = definition(action).writes ?? {};
  const given = options as Record<string, unknown>;
  const value = (column: string, kind: ColumnKind): SQL | null | undefined => {
    const option = writes[column];
    const v = option === undefined ? undefined : given[option];
    if (v === null) return null;
    return v === undefined ? undefined : sql`${String(v)}::${CASTS[kind]}`;
  };
  const held: SQL[] = [];
  const cleared: SQL[] = [];
  const plain: SQL[] = [];
  const audits: SQL[] = [];
  for (const { column, kind, heldBy } of writtenColumns()) {
    const set = value(column, kind);
    if (heldBy !== null) held.push(sql`${sql.identifier(column)} = ${set ?? sql`null`}`);
    else {
      if (kind === "datetime") cleared.push(sql`${sql.identifier(column)} = null`);
      if (set === undefined) continue;
      const to = set ?? sql`null::${CASTS[kind]}`;
      plain.push(sql`${sql.identifier(column)} = ${to}`);
      // The plan row holds the value before.
      audits.push(
        column === "role"
          ? sql`jsonb_build_object('roles', jsonb_build_object(p.id::text, jsonb_build_array(p.role, ${to})))`
          : sql`jsonb_build_object(${column}::text, jsonb_build_object(p.id::text, jsonb_build_array(${isoMinute(sql`p.${sql.identifier(column)}`)}, ${isoMinute(to)})))`,
      );
    }
  }
  const audited = audits.length ? sql`(${sql.join(audits, sql` || `)})` : null;
  return { held, cleared, plain, audited };
}

/** A time as the ISO text the app writes (`2027-01-12T09:30:00.000Z`), the same on both drivers. */
function isoMinute(at: SQL): SQL {
  return sql`to_char((${at}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

const REGEX_SPECIALS = "([.*+?^$" + "{}()|\\[\\]\\\\])";

/**
 * Permanent delete: the rows go, and with them (FK cascade) their invitations, notes, the mail
 * addressed to them and the rows of imports not yet applied that carry their address. Mail to
 * others that names them (an invitation says who sent it) and deletion requests' reasons are
 * rewritten, so that no name or address of theirs survives anywhere. The audit keeps ids only.
 */
async function eraseUsers(tx: Executor): Promise<void> {
  const gone = sql`select u.name, u.email from users u join ${PLAN} p on p.id = u.id where ${CHANGES}`;
  await tx.execute(
    sql`delete from outbox where lower(to_email) in (select lower(g.email) from (${gone}) g)`,
  );
  // An import not yet applied may name them (a row skipped as "already a user"): that row goes.
  await tx.execute(
    sql`delete from csv_import_rows where lower(email) in (select lower(g.email) from (${gone}) g)`,
  );
  // Their name and address wherever people wrote them: mail to others that names them, and
  // the reasons of deletion requests. Names under 3 letters would match inside ordinary words:
  // those are left alone.
  const pattern = sql`
    with words as (
      select w from (${gone}) g cross join lateral (values (g.email), (trim(g.name))) as v(w)
      where length(w) >= 3
    ), pattern as (
      select string_agg(regexp_replace(w, ${REGEX_SPECIALS}, '\\\\\\1', 'g'), '|') as re from words
    )`;
  await tx.execute(sql`
    ${pattern}
    update outbox set
      subject = regexp_replace(subject, pattern.re, 'a former member', 'gi'),
      body = regexp_replace(body, pattern.re, 'a former member', 'gi'),
      last_error = regexp_replace(last_error, pattern.re, 'a former member', 'gi')
    from pattern
    where pattern.re is not null
      and (subject ~* pattern.re or body ~* pattern.re or last_error ~* pattern.re)`);
  await tx.execute(sql`
    ${pattern}
    update deletion_requests set reason = regexp_replace(reason, pattern.re, 'a former member', 'gi')
    from pattern
    where pattern.re is not null and reason ~* pattern.re`);
  await tx.execute(
    sql`delete from users where id in (select p.id from ${PLAN} p where ${CHANGES})`,
  );
}

/**
 * The users the action changed, as definition hooks see them (invitations, notices): bounded by
 * the job threshold or the batch size.
 */
export async function plannedChanges(tx: Executor): Promise<Change[]> {
  return queryRows<Change>(
    tx,
    sql`select p.id, p.status, p.to_status as "to" from ${PLAN} p where ${CHANGES} order by p.id`,
  );
}

/** The ids of the users the action changes, as a query (for an `INSERT … SELECT`). */
export function plannedIds(): SQL {
  return sql`select p.id from ${PLAN} p where ${CHANGES}`;
}

/** The answer: totals, and the first changed and skipped (conflicts say the status now and who). */
export async function planResult(
  tx: Executor,
  action: Verb,
  source: SelectionSource,
  totals: PlanTotals,
  options: { countsOnly?: boolean } = {},
): Promise<Extract<VerbResult, { ok: true }>> {
  const skippedCount = skippedTotal(totals);
  if (options.countsOnly) {
    return {
      ok: true,
      action,
      done: totals.done,
      changed: [],
      skipped: [],
      skippedCount,
      skippedByReason: totals.byReason,
    };
  }
  const limit = sql`${MAX_RESULT_ITEMS + 1}::int`;
  const changed = await queryRows<{ id: string; name: string; status: UserStatus | null }>(
    tx,
    sql`select p.id, p.name, p.to_status as status from ${PLAN} p where ${CHANGES} order by p.id limit ${limit}`,
  );
  const skippedRows = await queryRows<{
    id: string;
    name: string | null;
    code: SkipCode;
    status: UserStatus | null;
    changed_by: string | null;
  }>(
    tx,
    sql`select p.id, u.name, p.code, u.status, c.name as changed_by
        from ${PLAN} p left join users u on u.id = p.id left join users c on c.id = u.status_changed_by
        where p.in_sel and p.code is not null
        order by u.name, p.id limit ${limit}`,
  );
  const skipped: Skipped[] = skippedRows.map((r) => ({
    id: r.id,
    name: r.name,
    code: r.code,
    reason: skipReason(action, r.code),
    ...(r.code === "conflict" ? { status: r.status ?? undefined, changedBy: r.changed_by } : {}),
  }));
  if (source.missing && totals.missing > 0) {
    const missing = await queryRows<{ id: string }>(
      tx,
      sql`select m.id from (${source.missing}) m limit ${limit}`,
    );
    for (const m of missing) {
      skipped.push({ id: m.id, name: null, code: "notFound", reason: SKIP_REASONS.notFound });
    }
  }
  const truncated = totals.done > MAX_RESULT_ITEMS || skippedCount > MAX_RESULT_ITEMS;
  return {
    ok: true,
    action,
    done: totals.done,
    changed: changed.slice(0, MAX_RESULT_ITEMS),
    skipped: skipped.slice(0, MAX_RESULT_ITEMS),
    skippedCount,
    skippedByReason: totals.byReason,
    ...(truncated ? { truncated } : {}),
  };
}
