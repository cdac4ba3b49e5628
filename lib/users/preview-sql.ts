import { type SQL, sql } from "drizzle-orm";
import { type Executor, queryRows } from "@/db/client";
import { RECORD_KINDS, type UserRole, type UserStatus } from "@/db/schema";
import { jobThreshold } from "@/lib/jobs/config";
import {
  type OwnedRecords,
  type ParsedSelection,
  type PreviewResult,
  type PreviewTarget,
  SKIP_REASONS,
  type SkipCode,
  type Skipped,
} from "./action-types";
import type { ActionOptions } from "./actions";
import { LIFECYCLE, type LifecycleAction } from "./lifecycle";
import { RECORD_TABLES } from "./ownership";
import { can, type Person } from "./permissions";
import {
  changesSql,
  type PlanColumns,
  skipCodeSql,
  skippedSql,
  takesSeatSql,
  targetStatusSql,
  USERS_COLUMNS,
} from "./plan-sql";
import { seatRefusal } from "./preview";
import { seatsUsed } from "./queries";
import { selectionSource } from "./selection-sql";

export type PreviewArgs = {
  actor: Person;
  action: LifecycleAction;
  selection: ParsedSelection;
  /** The action's options (restore "with a new invitation" changes the target status). */
  options?: ActionOptions;
  limit: number;
  seatLimit: number;
};

/**
 * The most rows each list of a preview carries, whatever `limit` asks: with them the answer
 * stays under 100 KB for any selection (bench/engine.ts measures it at 1,000,000 users).
 */
const PREVIEW_LIST_MAX = 200;
const PREVIEW_OWNERS_MAX = 100;

/**
 * What the confirmation dialog shows, aggregated in SQL whatever the size of the selection:
 * counts of who changes and who is skipped per reason, the first rows of each list, and the
 * records that move (totals per kind, and the first owners). The same predicates as the apply.
 */
export async function previewInSql(
  db: Executor,
  args: PreviewArgs & { deniedMessage: string },
): Promise<PreviewResult> {
  const { actor, action } = args;
  const rule = LIFECYCLE[action];
  if (!can(actor.role, rule.permission)) {
    return { ok: false, error: args.deniedMessage };
  }
  const source = selectionSource(args.selection);
  const c: PlanColumns = {
    ...USERS_COLUMNS,
    expected: source.expected?.column ?? sql`null::user_status`,
  };
  const from = sql`from users ${source.expected?.join ?? sql``} where ${source.where}`;
  const to = targetStatusSql(action, c, args.options);
  const changes = changesSql(actor, action, c);
  const listLimit = Math.min(args.limit, PREVIEW_LIST_MAX);
  const ownersLimit = Math.min(args.limit, PREVIEW_OWNERS_MAX);

  const countsQuery = queryRows<{ code: SkipCode | null; n: number; seats: number }>(
    db,
    sql`select x.code, count(*)::int as n, count(*) filter (where x.seat)::int as seats
        from (select ${skipCodeSql(actor, action, c)} as code, ${takesSeatSql(c, to)} as seat ${from}) x
        group by x.code`,
  );
  const changeQuery = queryRows<PreviewTarget>(
    db,
    sql`select "users"."id", "users"."name", "users"."email", "users"."status", "users"."role", ${to} as "to"
        ${from} and ${changes}
        order by "users"."name", "users"."id" limit ${listLimit}::int`,
  );
  const skippedQuery = queryRows<{
    id: string;
    name: string;
    code: SkipCode;
    status: UserStatus;
    changed_by: string | null;
  }>(
    db,
    sql`select "users"."id", "users"."name", ${skipCodeSql(actor, action, c)} as code, "users"."status",
          (select ch.name from users ch where ch.id = "users"."status_changed_by") as changed_by
        ${from} and ${skippedSql(actor, action, c)}
        order by "users"."name", "users"."id" limit ${listLimit}::int`,
  );
  const missingQuery = source.missing
    ? queryRows<{ id: string }>(db, source.missing)
    : Promise.resolve([]);
  const ownersQuery = rule.needsTransfer
    ? ownership(db, { from, changes, limit: ownersLimit })
    : Promise.resolve(null);
  const seatsQuery = rule.needsSeat ? seatsUsed(db) : Promise.resolve(0);

  const [counts, willChange, skippedRows, missing, owners, used] = await Promise.all([
    countsQuery,
    changeQuery,
    skippedQuery,
    missingQuery,
    ownersQuery,
    seatsQuery,
  ]);

  let willChangeCount = 0;
  let seatsNeeded = 0;
  let matched = 0;
  const skippedByReason: Partial<Record<SkipCode, number>> = {};
  for (const row of counts) {
    matched += Number(row.n);
    if (row.code === null) {
      willChangeCount = Number(row.n);
      seatsNeeded = Number(row.seats);
    } else skippedByReason[row.code] = Number(row.n);
  }
  if (missing.length > 0) skippedByReason.notFound = missing.length;
  const skipped: Skipped[] = skippedRows.map((r) => ({
    id: r.id,
    name: r.name,
    code: r.code,
    reason: SKIP_REASONS[r.code],
    ...(r.code === "conflict" ? { status: r.status, changedBy: r.changed_by } : {}),
  }));
  for (const m of missing) {
    skipped.push({ id: m.id, name: null, code: "notFound", reason: SKIP_REASONS.notFound });
  }
  const skippedCount = Object.values(skippedByReason).reduce((s, n) => s + (n ?? 0), 0);

  let seats: { needed: number; free: number } | null = null;
  let blocked: string | null = null;
  if (rule.needsSeat) {
    const free = Math.max(0, args.seatLimit - used);
    seats = { needed: seatsNeeded, free };
    blocked = seatRefusal(seatsNeeded, free);
  }
  return {
    ok: true,
    action,
    willChangeCount,
    willChange: willChange.map((t) => ({
      id: t.id,
      name: t.name,
      email: t.email,
      status: t.status,
      role: t.role as UserRole,
      to: t.to,
    })),
    skippedCount,
    skipped: skipped.slice(0, listLimit),
    skippedByReason,
    ownership: owners?.first ?? [],
    ...(owners ? { ownershipTotals: owners.totals } : {}),
    runsAsJob: args.selection.kind === "filter" && matched > jobThreshold(),
    seats,
    blocked,
  };
}

type OwnershipTotals = NonNullable<Extract<PreviewResult, { ok: true }>["ownershipTotals"]>;

/** The records the changed users own: totals per kind and owners, and the first owners by name. */
async function ownership(
  db: Executor,
  args: { from: SQL; changes: SQL; limit: number },
): Promise<{ totals: OwnershipTotals; first: OwnedRecords[] }> {
  const records = sql.join(
    RECORD_KINDS.map((k) => sql`select owner_id, ${k}::text as kind from ${RECORD_TABLES[k]}`),
    sql` union all `,
  );
  const perKind = sql.join(
    RECORD_KINDS.map((k) => sql`count(*) filter (where r.kind = ${k})::int as ${sql.raw(k)}`),
    sql`, `,
  );
  const owns = sql.join(
    RECORD_KINDS.map(
      (k) => sql`exists (select 1 from ${RECORD_TABLES[k]} o where o.owner_id = "users"."id")`,
    ),
    sql` or `,
  );
  const countsOf = sql.join(
    RECORD_KINDS.map(
      (k) =>
        sql`(select count(*)::int from ${RECORD_TABLES[k]} o where o.owner_id = "users"."id") as ${sql.raw(k)}`,
    ),
    sql`, `,
  );
  const [totalsRows, first] = await Promise.all([
    queryRows<Record<string, number>>(
      db,
      sql`select count(distinct r.owner_id)::int as owners, ${perKind}
          from (${records}) r join users on "users"."id" = r.owner_id
          where "users"."id" in (select "users"."id" ${args.from} and ${args.changes})`,
    ),
    queryRows<Record<string, string | number>>(
      db,
      sql`select "users"."id" as "userId", "users"."name", ${countsOf}
          ${args.from} and ${args.changes} and (${owns})
          order by "users"."name", "users"."id" limit ${args.limit}::int`,
    ),
  ]);
  const row = totalsRows[0] ?? {};
  const totals = { owners: Number(row.owners ?? 0) } as OwnershipTotals;
  for (const k of RECORD_KINDS) totals[k] = Number(row[k] ?? 0);
  return {
    totals,
    first: first.map((r) => {
      const o = { userId: String(r.userId), name: String(r.name) } as OwnedRecords;
      for (const k of RECORD_KINDS) o[k] = Number(r[k] ?? 0);
      return o;
    }),
  };
}
