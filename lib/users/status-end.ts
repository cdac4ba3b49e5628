import { type SQL, sql } from "drizzle-orm";
import { definition, VERB_NAMES } from "@/model/verbs";

/**
 * When a user's status ends by itself (the time a verb's `expires` wrote with it), else null:
 * a SQL expression over the users table aliased `alias`, for the sign-in refusal ("until …").
 */
export function statusEndSql(alias: string): SQL {
  const u = sql.identifier(alias);
  const whens = VERB_NAMES.flatMap((name) => {
    const def = definition(name);
    const column = Object.entries(def.writes ?? {}).find(([, o]) => o === def.expires?.at)?.[0];
    const to = def.rule.to;
    if (!column || to === null || to === "same" || to === "previous") return [];
    return [sql`when ${u}.status = ${to}::user_status then ${u}.${sql.identifier(column)}`];
  });
  return whens.length > 0
    ? sql`(case ${sql.join(whens, sql` `)} else null::timestamptz end)`
    : sql`null::timestamptz`;
}
