import { sql } from "drizzle-orm";
import { type Executor, queryRows } from "@/db/client";
import { eligibleOwnerSql } from "@/db/eligible-owner";
import { automations, projects, RECORD_KINDS, type RecordKind, users } from "@/db/schema";
import { isUuid, likePattern, uuidArray } from "@/db/sql";
import type { Person } from "@/model/permissions";
import type { Verb } from "./lifecycle";
import { changesSql, USERS_COLUMNS } from "./plan-sql";
import { selectionSource } from "./selection-sql";
import type { EligibleOwner, ParsedSelection } from "./verb-types";

/** The tables whose rows a user owns, by kind: a transfer moves every one of them. */
export const RECORD_TABLES = {
  project: projects,
  automation: automations,
} as const satisfies Record<RecordKind, typeof projects | typeof automations>;

export type RecordCounts = Record<RecordKind, number>;

function emptyCounts(): RecordCounts {
  return Object.fromEntries(RECORD_KINDS.map((k) => [k, 0])) as RecordCounts;
}

/** Per user, how many records of each kind they own (only users who own at least one), in one query. */
export async function ownedRecordCounts(
  db: Executor,
  userIds: readonly string[],
): Promise<Map<string, RecordCounts>> {
  const result = new Map<string, RecordCounts>();
  if (userIds.length === 0) return result;
  const ids = uuidArray(userIds);
  const parts = RECORD_KINDS.map(
    (kind) =>
      sql`select owner_id, ${kind}::text as kind, count(*)::int as n from ${RECORD_TABLES[kind]} where owner_id = any(${ids}) group by owner_id`,
  );
  const rows = await queryRows<{ owner_id: string; kind: RecordKind; n: number }>(
    db,
    sql.join(parts, sql` union all `),
  );
  for (const row of rows) {
    const counts = result.get(row.owner_id) ?? emptyCounts();
    counts[row.kind] = Number(row.n);
    result.set(row.owner_id, counts);
  }
  return result;
}

/**
 * Active admins and the owner, searchable by name or email, less the users being changed: the
 * selection itself is sent (not its ids), and its predicate is tested on each candidate row, so
 * a selection of a million users costs no more than one of three.
 */
export async function eligibleNewOwners(
  db: Executor,
  args: {
    query?: string;
    excludeIds?: readonly string[];
    /** The selection being changed, and by whom with which action: who it changes is excluded. */
    selection?: { selection: ParsedSelection; actor: Person; action: Verb };
    limit?: number;
  },
): Promise<EligibleOwner[]> {
  const q = (args.query ?? "").trim().slice(0, 200);
  const exclude = (args.excludeIds ?? []).filter(isUuid);
  const s = args.selection;
  const selected = s
    ? sql`(${selectionSource(s.selection).where} and ${changesSql(s.actor, s.action, USERS_COLUMNS)})`
    : null;
  const limit = Math.min(Math.max(args.limit ?? 20, 1), 100);
  const rows = await queryRows<EligibleOwner>(
    db,
    sql`select id, name, email, role from ${users}
      where ${eligibleOwnerSql(sql`status`, sql`role`)}
      ${q ? sql`and (name ilike ${likePattern(q)} or email ilike ${likePattern(q)})` : sql``}
      ${exclude.length ? sql`and not (id = any(${uuidArray(exclude)}))` : sql``}
      ${selected ? sql`and not coalesce(${selected}, false)` : sql``}
      order by name, id
      limit ${limit}`,
  );
  return rows;
}
