import { type SQL, sql } from "drizzle-orm";
import { USER_ROLES, USER_STATUSES, type UserStatus } from "@/db/schema";
import { type Doer, isSystem, type RankRefusal, rankRefusal } from "@/model/permissions";
import { plainWrites, type VerbOptions } from "@/model/verbs";
import { LIFECYCLE, SEAT_STATUSES, targetStatus, type Verb } from "./lifecycle";
import type { SkipCode } from "./verb-types";

/**
 * The planner's rules as SQL: the same decisions as the reference planner's `skipCode`
 * (testing/reference-planner.ts) and `targetStatus` (lifecycle.ts), generated from the JS rules
 * by evaluating them over every role and status, so that a selection of any size is planned inside the database. plan-sql.test.ts proves the two
 * agree on every role × status × special target.
 */

/** Where a row's columns are, in the query the predicates are used in. */
export type PlanColumns = {
  id: SQL;
  role: SQL;
  status: SQL;
  previousStatus: SQL;
  /** The status the viewer saw (explicit selections and jobs), or SQL null. */
  expected: SQL;
  /** Any other column of the user (what a plain write compares with), where the query has it. */
  column?: (name: string) => SQL;
};

/** The columns of the `users` table itself, unaliased (as `usersFilterWhere` writes them). */
export const USERS_COLUMNS: PlanColumns = {
  id: sql`"users"."id"`,
  role: sql`"users"."role"`,
  status: sql`"users"."status"`,
  previousStatus: sql`"users"."previous_status"`,
  expected: sql`null::user_status`,
  column: (name) => sql`"users".${sql.identifier(name)}`,
};

/** The columns of a table or subquery aliased `alias` with the plan's column names. */
export function aliasColumns(alias: string): PlanColumns {
  const a = sql.raw(`"${alias}"`);
  return {
    id: sql`${a}."id"`,
    role: sql`${a}."role"`,
    status: sql`${a}."status"`,
    previousStatus: sql`${a}."previous_status"`,
    expected: sql`${a}."expected"`,
    column: (name) => sql`${a}.${sql.identifier(name)}`,
  };
}

function literals(values: readonly string[]): SQL {
  return sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );
}

function inList(column: SQL, values: readonly string[]): SQL {
  return values.length ? sql`${column} in (${literals(values)})` : sql`false`;
}

/** The target roles the rank rules refuse for this actor, by refusal (never "self": that's by id). */
function refusedRoles(actor: Doer): Record<Exclude<RankRefusal, "self">, string[]> {
  const out: Record<Exclude<RankRefusal, "self">, string[]> = { owner: [], rank: [] };
  // Any id but the actor's: the self rule is an id test of its own.
  const other = !isSystem(actor) && actor.id === "other" ? "another" : "other";
  for (const role of USER_ROLES) {
    const refusal = rankRefusal(actor, { id: other, role });
    if (refusal === "owner" || refusal === "rank") out[refusal].push(role);
  }
  return out;
}

/**
 * True when the verb would write what the row already holds (change role to the role they have).
 * Until every written option is given (a preview before the choice), no row is unchanged.
 */
function unchangedSql(action: Verb, c: PlanColumns, options: VerbOptions): SQL {
  const writes = plainWrites(action);
  const given = options as Record<string, unknown>;
  const values = writes.map(([, option]) => given[option]);
  // A clearable time's null is a value (cleared); missing is not chosen yet.
  if (writes.length === 0 || values.some((v) => v === undefined)) return sql`false`;
  const same = writes.map(([column], i) => {
    const v = values[i];
    if (column === "role") return sql`${c.role} = ${String(v)}::user_role`;
    const col = c.column?.(column);
    // writtenColumns() allows plain writes of the role and of times only.
    if (!col) return sql`false`;
    return v === null ? sql`${col} is null` : sql`${col} = ${String(v)}::timestamptz`;
  });
  return sql`(${sql.join(same, sql` and `)})`;
}

/** One boolean predicate per skip reason, in the order the JS check tests them. */
function skipPredicates(
  actor: Doer,
  action: Verb,
  c: PlanColumns,
  options: VerbOptions = {},
): { code: Exclude<SkipCode, "notFound">; when: SQL }[] {
  const refused = refusedRoles(actor);
  return [
    // The system is nobody: it never acts on itself.
    { code: "self", when: isSystem(actor) ? sql`false` : sql`${c.id} = ${actor.id}::uuid` },
    { code: "owner", when: inList(c.role, refused.owner) },
    { code: "rank", when: inList(c.role, refused.rank) },
    {
      code: "conflict",
      when: sql`(${c.expected} is not null and ${c.expected} <> ${c.status})`,
    },
    { code: "status", when: sql`not ${inList(c.status, LIFECYCLE[action].from)}` },
    { code: "unchanged", when: unchangedSql(action, c, options) },
  ];
}

/** The skip reason of a row as a text expression, null when the action applies to it. */
export function skipCodeSql(
  actor: Doer,
  action: Verb,
  c: PlanColumns,
  options: VerbOptions = {},
): SQL {
  const whens = skipPredicates(actor, action, c, options).map(
    (p) => sql`when ${p.when} then ${p.code}`,
  );
  return sql`(case ${sql.join(whens, sql` `)} else null end)`;
}

/** True when the action applies to the row: the negation of every skip predicate. */
export function changesSql(
  actor: Doer,
  action: Verb,
  c: PlanColumns,
  options: VerbOptions = {},
): SQL {
  const parts = skipPredicates(actor, action, c, options).map((p) => sql`not ${p.when}`);
  return sql`(${sql.join(parts, sql` and `)})`;
}

/** True when the row is skipped, for any reason. */
export function skippedSql(
  actor: Doer,
  action: Verb,
  c: PlanColumns,
  options: VerbOptions = {},
): SQL {
  const parts = skipPredicates(actor, action, c, options).map((p) => p.when);
  return sql`(${sql.join(parts, sql` or `)})`;
}

/**
 * The status a changed row ends in (null when the row is removed): `targetStatus` evaluated for
 * every status the action applies to and every previous status, written out as one CASE.
 */
export function targetStatusSql(action: Verb, c: PlanColumns, options: VerbOptions = {}): SQL {
  const whens: SQL[] = [];
  for (const status of LIFECYCLE[action].from) {
    for (const previous of [null, ...USER_STATUSES] as (UserStatus | null)[]) {
      const to = targetStatus(action, status, previous, options);
      const prev =
        previous === null
          ? sql`${c.previousStatus} is null`
          : sql`${c.previousStatus} = ${previous}::user_status`;
      whens.push(
        sql`when ${c.status} = ${status}::user_status and ${prev} then ${to}::user_status`,
      );
    }
  }
  return sql`(case ${sql.join(whens, sql` `)} else null::user_status end)`;
}

/** True when a row going from its status to `to` takes a seat it didn't use. */
export function takesSeatSql(c: PlanColumns, to: SQL): SQL {
  return sql`(not ${inList(c.status, SEAT_STATUSES)} and coalesce(${inList(to, SEAT_STATUSES)}, false))`;
}
