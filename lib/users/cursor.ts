import { USER_ROLES } from "@/db/schema";
import { isUuid } from "@/db/sql";
import { validPosition } from "@/lib/page-position";
import { LAST_PAGE, type SortColumn } from "./view";

/**
 * Keyset page cursors for the users table. A cursor names the row a page starts after (Next) or
 * ends before (Previous), by its sort key and id; `LAST_PAGE` reads the view backwards from its
 * end. The URL carries it as an opaque `cursor` parameter; no cursor is the first page.
 */

export type Direction = "asc" | "desc";

export type KeysetCursor = {
  /** "after": the rows that follow the key in the view's order; "before": those that precede it. */
  side: "after" | "before";
  sort: SortColumn;
  dir: Direction;
  /** The sort column's value as Postgres prints it (`col::text`, full precision); null = Never. */
  key: string | null;
  id: string;
  /**
   * Where the page this cursor leads to starts in the view (0-based), so the pager can say
   * "26–50 of 15,222". Only words: the rows come from the key; absent in an older link.
   */
  at?: number;
};

export type PageCursor = { kind: "first" } | { kind: "last" } | ({ kind: "key" } & KeysetCursor);

/** Which sort columns are nullable and what their text must look like before SQL casts it. */
export const SORT_KEY_TYPES: Record<
  SortColumn,
  { sqlType: "text" | "user_role" | "timestamptz"; nullable: boolean }
> = {
  name: { sqlType: "text", nullable: false },
  email: { sqlType: "text", nullable: false },
  role: { sqlType: "user_role", nullable: false },
  lastSignIn: { sqlType: "timestamptz", nullable: true },
  created: { sqlType: "timestamptz", nullable: false },
  statusChanged: { sqlType: "timestamptz", nullable: true },
};

// What `timestamptz::text` prints under the default DateStyle (ISO): parsed strictly, so a
// tampered cursor can never reach a cast that fails.
const TIMESTAMP_TEXT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2}$/;

function validKey(sort: SortColumn, key: unknown): key is string | null {
  const type = SORT_KEY_TYPES[sort];
  if (key === null) return type.nullable;
  if (typeof key !== "string" || key.length > 500) return false;
  if (type.sqlType === "user_role") return (USER_ROLES as readonly string[]).includes(key);
  if (type.sqlType === "timestamptz") return TIMESTAMP_TEXT.test(key);
  return true;
}

export function encodeCursor(cursor: KeysetCursor): string {
  const body = JSON.stringify([
    cursor.side === "after" ? "a" : "b",
    cursor.sort,
    cursor.dir,
    cursor.key,
    cursor.id,
    ...(cursor.at === undefined ? [] : [cursor.at]),
  ]);
  return Buffer.from(body, "utf8").toString("base64url");
}

/**
 * The cursor of a URL for a view sorted by `sort` and `dir`. Anything malformed, or made for
 * another order, is the first page: a page may read a bad parameter leniently.
 */
export function decodeCursor(
  raw: string | undefined,
  sort: SortColumn,
  dir: Direction,
): PageCursor {
  if (!raw) return { kind: "first" };
  if (raw === LAST_PAGE) return { kind: "last" };
  if (raw.length > 1000 || !/^[A-Za-z0-9_-]+$/.test(raw)) return { kind: "first" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    return { kind: "first" };
  }
  if (!Array.isArray(parsed) || parsed.length < 5 || parsed.length > 6) return { kind: "first" };
  const [side, s, d, key, id, at] = parsed as unknown[];
  if ((side !== "a" && side !== "b") || s !== sort || d !== dir) return { kind: "first" };
  if (typeof id !== "string" || !isUuid(id) || !validKey(sort, key)) return { kind: "first" };
  const cursor: PageCursor = {
    kind: "key",
    side: side === "a" ? "after" : "before",
    sort,
    dir,
    key,
    id,
  };
  if (at === undefined) return cursor;
  if (!validPosition(at)) return { kind: "first" };
  return { ...cursor, at };
}
