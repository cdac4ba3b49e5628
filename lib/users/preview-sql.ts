import { type SQL, sql } from "drizzle-orm";
import { type Executor, queryRows } from "@/db/client";
import { RECORD_KINDS, type UserRole, type UserStatus } from "@/db/schema";
import { isUuid, uuidArray } from "@/db/sql";
import { can, type Person } from "@/model/permissions";
import { TAB_STATUSES } from "@/model/statuses";
import { plainWrites, skipReason, type VerbOptions } from "@/model/verbs";
import { LIFECYCLE, type Verb } from "./lifecycle";
import {
  aliasColumns,
  changesSql,
  type PlanColumns,
  skipCodeSql,
  skippedSql,
  takesSeatSql,
  targetStatusSql,
  USERS_COLUMNS,
} from "./plan-sql";
import { seatsUsed } from "./queries";
import { seatRefusal } from "./refusals";
import { selectionSource } from "./selection-sql";
import {
  type OwnedRecords,
  type ParsedSelection,
  type PreviewResult,
  type PreviewTarget,
  SKIP_REASONS,
  type SkipCode,
  type Skipped,
} from "./verb-types";

export type PreviewArgs = {
  actor: Person;
  action: Verb;
  selection: ParsedSelection;
  /** The action's options (restore "with a new invitation" changes the target status). */
  options?: VerbOptions;
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
  const changes = changesSql(actor, action, c, args.options);
  const listLimit = Math.min(args.limit, PREVIEW_LIST_MAX);
  const ownersLimit = Math.min(args.limit, PREVIEW_OWNERS_MAX);

  const countsQuery = queryRows<{ code: SkipCode | null; n: number; seats: number }>(
    db,
    countsSql({ actor, action, selection: args.selection, source, options: args.options }),
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
    sql`select "users"."id", "users"."name", ${skipCodeSql(actor, action, c, args.options)} as code, "users"."status",
          (select ch.name from users ch where ch.id = "users"."status_changed_by") as changed_by
        ${from} and ${skippedSql(actor, action, c, args.options)}
        order by "users"."name", "users"."id" limit ${listLimit}::int`,
  );
  const missingQuery = source.missing
    ? queryRows<{ id: string }>(db, source.missing)
    : Promise.resolve([]);
  const ownersQuery = rule.needsTransfer
    ? ownership(db, { actor, action, selection: args.selection, source, limit: ownersLimit })
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
  const skippedByReason: Partial<Record<SkipCode, number>> = {};
  for (const row of counts) {
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
    reason: skipReason(action, r.code),
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
    seats,
    blocked,
  };
}

/** Where a page of "will change" ends: the last row's sort key (name, then id). */
export type PreviewCursor = { name: string; id: string };

/**
 * "See all": the next page of the users the action will change, after `after`, in the order of
 * the preview's list (name, then id). Keyset over the selection in SQL (the (tab, name, id)
 * index for a filter): a page costs the same wherever it is, and nothing else is recomputed.
 */
export async function previewChangesPage(
  db: Executor,
  args: {
    actor: Person;
    action: Verb;
    selection: ParsedSelection;
    options?: VerbOptions;
    after: PreviewCursor | null;
    limit: number;
  },
): Promise<{ rows: PreviewTarget[]; next: PreviewCursor | null }> {
  const { actor, action } = args;
  if (!can(actor.role, LIFECYCLE[action].permission)) return { rows: [], next: null };
  const source = selectionSource(args.selection);
  const c: PlanColumns = {
    ...USERS_COLUMNS,
    expected: source.expected?.column ?? sql`null::user_status`,
  };
  const limit = Math.max(1, Math.min(args.limit, PREVIEW_LIST_MAX));
  const after = args.after && isUuid(args.after.id) ? args.after : null;
  const rows = await queryRows<PreviewTarget>(
    db,
    sql`select "users"."id", "users"."name", "users"."email", "users"."status", "users"."role",
          ${targetStatusSql(action, c, args.options)} as "to"
        from users ${source.expected?.join ?? sql``}
        where ${source.where} and ${changesSql(actor, action, c, args.options)}
          ${after ? sql`and ("users"."name", "users"."id") > (${after.name}, ${after.id}::uuid)` : sql``}
        order by "users"."name", "users"."id" limit ${limit + 1}::int`,
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    rows: page.map((t) => ({ ...t, role: t.role as UserRole })),
    next: rows.length > limit && last ? { name: last.name, id: last.id } : null,
  };
}

/**
 * Counts per skip reason (null: changes) and the seats the changes take, in one pass. The rows
 * are first grouped by the few columns the rules read, so that the rules run once per group,
 * and a column the rules can't tell apart inside the selection's tab is not read at all: for
 * "the whole Active tab" the pass reads only the (tab, role, id) index, not the table.
 */
function countsSql(args: {
  actor: Person;
  action: Verb;
  selection: ParsedSelection;
  source: ReturnType<typeof selectionSource>;
  options?: VerbOptions;
}): SQL {
  const { actor, action, selection, source } = args;
  const rule = LIFECYCLE[action];
  const tabStatuses = selection.kind === "filter" ? TAB_STATUSES[selection.filter.tab] : null;
  // Inside one tab, the status matters only if the action applies to some of its statuses and
  // not others, or for the seats (the status each one goes to).
  const applies = tabStatuses?.map((s) => rule.from.includes(s));
  const statusMatters = rule.needsSeat || !tabStatuses || !applies?.every((a) => a === applies[0]);
  const status =
    statusMatters || !tabStatuses ? sql`"users"."status"` : sql`${tabStatuses[0]}::user_status`;
  // Grouped by whether the row is the actor (a boolean: the planner expects two groups).
  // The times a verb writes without a status: who already has the one chosen is "unchanged".
  const times = plainWrites(action)
    .map(([column]) => column)
    .filter((c) => c !== "role");
  const g = { ...aliasColumns("g"), id: sql`(case when g.is_self then ${actor.id}::uuid end)` };
  const to = targetStatusSql(action, g, args.options);
  return sql`select x.code, sum(x.n)::int as n, coalesce(sum(x.n) filter (where x.seat), 0)::int as seats
    from (
      select g.n, ${skipCodeSql(actor, action, g, args.options)} as code, ${rule.needsSeat ? takesSeatSql(g, to) : sql`false`} as seat
      from (
        select ("users"."id" = ${actor.id}::uuid) as is_self,
          "users"."role" as role, ${status} as status,
          ${rule.needsSeat ? sql`"users"."previous_status"` : sql`null::user_status`} as previous_status,
          ${source.expected?.column ?? sql`null::user_status`} as expected,
          ${sql.join(
            times.map((c) => sql`"users".${sql.identifier(c)} as ${sql.identifier(c)}, `),
            sql``,
          )}
          count(*) as n
        from users ${source.expected?.join ?? sql``} where ${source.where}
        group by ${sql.raw(Array.from({ length: 5 + times.length }, (_, i) => i + 1).join(", "))}
      ) g
    ) x
    group by x.code`;
}

type OwnershipTotals = NonNullable<Extract<PreviewResult, { ok: true }>["ownershipTotals"]>;

const ORC = sql.raw(`"owner_record_counts"`);

/**
 * The records the changed users own: totals per kind and owners, and the first owners by name,
 * from the per-owner counts (migration 0009), never from the records themselves. A selection
 * that only names a tab, roles and exclusions is answered from the counts table alone (it
 * carries each owner's status and role); any other is joined with its owners only.
 */
async function ownership(
  db: Executor,
  args: {
    actor: Person;
    action: Verb;
    selection: ParsedSelection;
    source: ReturnType<typeof selectionSource>;
    limit: number;
  },
): Promise<{ totals: OwnershipTotals; first: OwnedRecords[] }> {
  const { actor, action, selection, source } = args;
  const perKind = sql.join(
    RECORD_KINDS.map((k) => sql`coalesce(sum(c.${sql.raw(k)}), 0)::int as ${sql.raw(k)}`),
    sql`, `,
  );
  const kindColumns = sql.join(
    RECORD_KINDS.map((k) => sql`c.${sql.raw(k)} as ${sql.raw(k)}`),
    sql`, `,
  );
  const c: PlanColumns = {
    id: sql`c.owner_id`,
    role: sql`c.role`,
    status: sql`c.status`,
    previousStatus: sql`null::user_status`,
    expected: sql`null::user_status`,
  };
  const u: PlanColumns = {
    ...USERS_COLUMNS,
    expected: source.expected?.column ?? sql`null::user_status`,
  };
  const joined = sql`from ${ORC} c join users on "users"."id" = c.owner_id ${source.expected?.join ?? sql``}
    where ${source.where} and ${changesSql(actor, action, u)}`;
  let totalsFrom = joined;
  if (selection.kind === "filter") {
    const f = selection.filter;
    if (!f.q && !f.neverSignedIn && !f.lastSignInBefore && !f.accessEnding && !f.dormant) {
      const exclude = selection.excludeIds.filter(isUuid);
      totalsFrom = sql`from ${ORC} c
        where c.status in (${sql.join(
          TAB_STATUSES[f.tab].map((s) => sql`${s}::user_status`),
          sql`, `,
        )})
          ${
            f.roles.length
              ? sql`and c.role in (${sql.join(
                  f.roles.map((r) => sql`${r}::user_role`),
                  sql`, `,
                )})`
              : sql``
          }
          ${exclude.length ? sql`and not (c.owner_id = any(${uuidArray(exclude)}))` : sql``}
          and ${changesSql(actor, action, c)}`;
    }
  }
  const [totalsRows, first] = await Promise.all([
    queryRows<Record<string, number>>(
      db,
      sql`select count(*)::int as owners, ${perKind} ${totalsFrom}`,
    ),
    queryRows<Record<string, string | number>>(
      db,
      sql`select "users"."id" as "userId", "users"."name", ${kindColumns} ${joined}
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
