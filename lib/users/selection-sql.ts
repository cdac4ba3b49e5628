import { type SQL, sql } from "drizzle-orm";
import { isUuid, jsonRows, uuidArray } from "@/db/sql";
import { usersFilterWhere } from "./queries";
import type { ParsedSelection } from "./verb-types";

/**
 * A selection as SQL, for the planner and the apply: which users it names, the status the viewer
 * saw each one in (explicit selections and jobs), and the ids asked for that no longer exist.
 * Nothing here brings the selection into Node.
 */
export type SelectionSource = {
  /** A predicate on the unaliased `users` table. */
  where: SQL;
  /** A LEFT JOIN onto `users` giving each selected user the status the viewer saw. */
  expected: { join: SQL; column: SQL } | null;
  /** A query of `id`s asked for that no user has any more, in the order asked. */
  missing: SQL | null;
};

const EXPECTED = sql.raw(`"sel_expected"`);

export function selectionSource(selection: ParsedSelection): SelectionSource {
  if (selection.kind === "ids") {
    const targets = selection.targets.filter((t) => isUuid(t.id));
    if (targets.length === 0) return { where: sql`false`, expected: null, missing: null };
    const rows = jsonRows(targets.map((t) => ({ id: t.id, expected: t.expectedStatus })));
    return {
      where: sql`"users"."id" = any(${uuidArray(targets.map((t) => t.id))})`,
      expected: {
        join: sql`left join jsonb_to_recordset(${rows}) as ${EXPECTED}(id uuid, expected user_status) on ${EXPECTED}.id = "users"."id"`,
        column: sql`${EXPECTED}.expected`,
      },
      missing: sql`select (r.v->>'id')::uuid as id from jsonb_array_elements(${rows}) with ordinality as r(v, n)
        where not exists (select 1 from users m where m.id = (r.v->>'id')::uuid) order by r.n`,
    };
  }
  const where = usersFilterWhere(selection.filter);
  const exclude = selection.excludeIds.filter(isUuid);
  return {
    where: exclude.length
      ? sql`(${where} and not ("users"."id" = any(${uuidArray(exclude)})))`
      : where,
    expected: null,
    missing: null,
  };
}

/**
 * Items `after` < seq ≤ `upTo` of a job's frozen selection: one batch. The ids are read once
 * into an array (an InitPlan), so the users are found by their primary key: as a subquery, the
 * planner, who has no statistics on a job's items yet, may scan every user instead. Used only
 * by the set-based apply, after `lockAndPlan`: the ids that no user has any more are the items
 * the plan did not find.
 */
export function jobBatchSource(jobId: string, after: number, upTo: number): SelectionSource {
  const range = (alias: SQL) =>
    sql`${alias}.job_id = ${jobId}::uuid and ${alias}.seq > ${after}::int and ${alias}.seq <= ${upTo}::int`;
  const ji = sql.raw(`"ji"`);
  return {
    where: sql`"users"."id" = any(array(select ji.user_id from job_items ji where ${range(ji)}))`,
    expected: {
      join: sql`left join job_items ${EXPECTED} on ${EXPECTED}.user_id = "users"."id" and ${range(EXPECTED)}`,
      column: sql`${EXPECTED}.seen_status`,
    },
    missing: sql`select ji.user_id as id from job_items ji where ${range(ji)}
      and not exists (select 1 from lifecycle_plan p where p.id = ji.user_id and p.in_sel) order by ji.seq`,
  };
}
