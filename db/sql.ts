import { type SQL, sql } from "drizzle-orm";
import { isUuid } from "../model/uuid";

/** The SQL helpers of the app, in one place: every query binds ids, lists and searches so. */

export { isUuid } from "../model/uuid";

/**
 * A uuid[] bound as ONE parameter (a Postgres array literal), so that a selection of 10,000 ids
 * is one statement with one parameter, on both drivers. Callers pass validated uuids only.
 */
export function uuidArray(ids: readonly string[]): SQL {
  for (const id of ids) if (!isUuid(id)) throw new Error(`not a uuid: ${JSON.stringify(id)}`);
  return sql`${`{${ids.join(",")}}`}::uuid[]`;
}

/**
 * A list of ids as one parameter (no limit on how many), usable as `id in ${idList(ids)}`: for
 * lists that are not checked to be uuids first (Postgres refuses a malformed one).
 */
export function idList(ids: readonly string[]): SQL {
  return sql`(select value::uuid from json_array_elements_text(${JSON.stringify(ids)}::json))`;
}

/** Rows bound as ONE jsonb parameter, for jsonb_to_recordset(): set-based writes of any size. */
export function jsonRows(rows: readonly unknown[]): SQL {
  return sql`${JSON.stringify(rows)}::jsonb`;
}

/** A substring search for ILIKE: escapes its wildcards, so that a search for "50%" means "50%". */
export function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
