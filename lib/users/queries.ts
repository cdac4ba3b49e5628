import { and, eq, inArray, isNull, lt, type SQL, sql } from "drizzle-orm";
import { type Executor, queryRows } from "@/db/client";
import { USER_STATUSES, type UserStatus, userStatusCounts, users } from "@/db/schema";
import { type Direction, decodeCursor, encodeCursor, SORT_KEY_TYPES } from "./cursor";
import { SEAT_STATUSES } from "./lifecycle";
import {
  type SortColumn,
  TAB_STATUSES,
  TABS,
  type Tab,
  type UsersFilter,
  type UsersView,
} from "./view";

/** Escapes LIKE wildcards so that a search for "50%" means the text "50%". */
function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The value of the generated column users.tab (migration 0007) for each tab. */
export const TAB_CODES: Record<Tab, number> = {
  active: 0,
  pending: 1,
  inactive: 2,
  archived: 3,
  rejected: 4,
};

/**
 * What a search matches: name and email as one text, the expression of the trigram index
 * users_search_trgm_idx (a newline between them, so that no typed search spans both).
 */
export const userSearchText = sql`(${users.name} || E'\\n' || ${users.email})`;

/** The WHERE clause of a view's filter: shared by the table, "all N matching" and the export. */
export function usersFilterWhere(filter: UsersFilter): SQL {
  const parts: SQL[] = [eq(users.tab, TAB_CODES[filter.tab])];
  if (filter.q) parts.push(sql`${userSearchText} ilike ${likePattern(filter.q)}`);
  if (filter.roles.length) parts.push(inArray(users.role, filter.roles));
  if (filter.neverSignedIn) parts.push(isNull(users.lastSignInAt));
  if (filter.lastSignInBefore) {
    parts.push(lt(users.lastSignInAt, new Date(`${filter.lastSignInBefore}T00:00:00Z`)));
  }
  return and(...parts) as SQL;
}

const SORTS = {
  name: users.name,
  email: users.email,
  role: users.role,
  lastSignIn: users.lastSignInAt,
  created: users.createdAt,
  statusChanged: users.statusChangedAt,
} as const;

export type UserRow = {
  id: string;
  name: string;
  email: string;
  role: (typeof users.$inferSelect)["role"];
  status: UserStatus;
  previousStatus: UserStatus | null;
  lastSignInAt: string | null;
  createdAt: string;
  statusChangedAt: string | null;
  statusChangedByName: string | null;
  ownedRecords: number;
  /** The open invitation (unused, unexpired), if any: when it was sent and when it expires. */
  invitationSentAt: string | null;
  invitationExpiresAt: string | null;
};

/** True when a view narrows its tab by nothing else, so the tab's count is its total. */
function isWholeTab(view: UsersFilter): boolean {
  return !view.q && view.roles.length === 0 && !view.neverSignedIn && !view.lastSignInBefore;
}

/** Filtered totals stop counting here: the table says "1,000+", "Select all" asks for more. */
const TOTAL_CAP = 1000;

/** A number of users, exact or "at least". */
export type Total = { n: number; capped: boolean };

export type UsersPage = {
  rows: UserRow[];
  total: Total;
  /** Cursors of the neighbouring pages (null: there is none); "first" and "last" need none. */
  prev: string | null;
  next: string | null;
};

export type SortKeyRow = UserRow & { sortKey: string | null };

const op = (dir: Direction) => sql.raw(dir === "asc" ? ">" : "<");
const reverse = (dir: Direction): Direction => (dir === "asc" ? "desc" : "asc");

/**
 * One segment of a keyset walk, as one index range scan of (tab, column, id): the non-null
 * values of the sort column, or its nulls (which the table shows last, either way, by id).
 */
function segmentQuery(
  where: SQL,
  sort: SortColumn,
  walk: Direction,
  part: "values" | "nulls",
  from: { key: string | null; id: string } | null,
  limit: number | null,
): SQL {
  const column = SORTS[sort];
  const { sqlType, nullable } = SORT_KEY_TYPES[sort];
  const parts: SQL[] = [where];
  if (nullable) parts.push(part === "values" ? sql`${column} is not null` : sql`${column} is null`);
  if (from) {
    parts.push(
      part === "nulls"
        ? sql`${users.id} ${op(walk)} ${from.id}::uuid`
        : sql`(${column}, ${users.id}) ${op(walk)} (${from.key}::${sql.raw(sqlType)}, ${from.id}::uuid)`,
    );
  }
  // The same ORDER BY for both parts: in the nulls part the column is null throughout, so this
  // is by id, and the planner sees the (tab, column, id) index order (IS NULL alone would not
  // tell it that the rows come out by id).
  const order = sql`${column} ${sql.raw(walk)}, ${users.id} ${sql.raw(walk)}`;
  // The per-row extras are computed over the page's rows only, outside the ordered scan.
  return sql`select page.*,
      (select c.name from users c where c.id = page.status_changed_by) as "statusChangedByName",
      ((select count(*) from projects p where p.owner_id = page.id)
        + (select count(*) from automations a where a.owner_id = page.id))::int as "ownedRecords",
      inv.created_at as "invitationSentAt", inv.expires_at as "invitationExpiresAt"
    from (
      select ${users.id} as id, ${users.name} as name, ${users.email} as email, ${users.role} as role,
        ${users.status} as status, ${users.previousStatus} as "previousStatus",
        ${users.lastSignInAt} as "lastSignInAt", ${users.createdAt} as "createdAt",
        ${users.statusChangedAt} as "statusChangedAt", ${users.statusChangedBy} as status_changed_by,
        ${column}::text as "sortKey"
      from ${users}
      where ${and(...parts)}
      order by ${order}
      ${limit === null ? sql`` : sql`limit ${limit}`}
    ) page
    left join lateral (
      select i.created_at, i.expires_at from invitations i
      where i.user_id = page.id and i.used_at is null and i.expires_at > now()
      order by i.created_at desc limit 1
    ) inv on true`;
}

/**
 * The whole view in its order, as one statement (the export's one ordered scan): the values
 * segment, then the nulls segment, each an index range scan. Meant for a cursor, where
 * PostgreSQL runs no parallel plan, so the segments come out in the order written.
 */
export function orderedViewQuery(filter: UsersFilter, sort: SortColumn, dir: Direction): SQL {
  const where = usersFilterWhere(filter);
  if (!SORT_KEY_TYPES[sort].nullable) return segmentQuery(where, sort, dir, "values", null, null);
  return sql`(${segmentQuery(where, sort, dir, "values", null, null)}) union all (${segmentQuery(where, sort, dir, "nulls", null, null)})`;
}

type RawRow = Omit<
  SortKeyRow,
  "lastSignInAt" | "createdAt" | "statusChangedAt" | "invitationSentAt" | "invitationExpiresAt"
> & {
  lastSignInAt: string | Date | null;
  invitationSentAt: string | Date | null;
  invitationExpiresAt: string | Date | null;
  createdAt: string | Date;
  statusChangedAt: string | Date | null;
  status_changed_by?: string | null;
};

const iso = (v: string | Date | null): string | null =>
  v === null ? null : new Date(v).toISOString();

function toRow(r: RawRow): SortKeyRow {
  return {
    id: r.id,
    name: r.name,
    email: r.email,
    role: r.role,
    status: r.status,
    previousStatus: r.previousStatus,
    lastSignInAt: iso(r.lastSignInAt),
    createdAt: iso(r.createdAt) ?? "",
    statusChangedAt: iso(r.statusChangedAt),
    statusChangedByName: r.statusChangedByName,
    ownedRecords: Number(r.ownedRecords),
    invitationSentAt: iso(r.invitationSentAt),
    invitationExpiresAt: iso(r.invitationExpiresAt),
    sortKey: r.sortKey,
  };
}

/**
 * Up to `limit` rows of a view in walking order from `from` (exclusive), or from the start of
 * the walk. The view order is: the column's values, then its nulls; walking backwards reverses
 * both. Each segment is one index range scan; the second is read only if the first runs out.
 */
export async function walk(
  db: Executor,
  where: SQL,
  sort: SortColumn,
  dir: Direction,
  backwards: boolean,
  from: { key: string | null; id: string } | null,
  limit: number,
): Promise<SortKeyRow[]> {
  const direction = backwards ? reverse(dir) : dir;
  const segments: ("values" | "nulls")[] = !SORT_KEY_TYPES[sort].nullable
    ? ["values"]
    : backwards
      ? ["nulls", "values"]
      : ["values", "nulls"];
  // A cursor sits in one segment: start there, with the cursor; later segments start fresh.
  const startAt = from ? segments.indexOf(from.key === null ? "nulls" : "values") : 0;
  let at = startAt;
  const rows: SortKeyRow[] = [];
  for (; at < segments.length && rows.length < limit; at++) {
    const part = segments[at] as "values" | "nulls";
    const start = from && at === startAt ? from : null;
    const got = await queryRows<RawRow>(
      db,
      segmentQuery(where, sort, direction, part, start, limit - rows.length),
    );
    rows.push(...got.map(toRow));
  }
  return rows;
}

function cursorOf(view: UsersView, side: "after" | "before", row: SortKeyRow): string {
  return encodeCursor({ side, sort: view.sort, dir: view.dir, key: row.sortKey, id: row.id });
}

/**
 * One page of a view by keyset: whichever page (first, next, previous, last), it is the same
 * index range scan of at most size + 1 rows. A cursor past the end shows the last page; one
 * before the start shows the first.
 */
export async function listUsers(db: Executor, view: UsersView): Promise<UsersPage> {
  const where = usersFilterWhere(view);
  const cursor = decodeCursor(view.cursor ?? undefined, view.sort, view.dir);
  const size = view.size;
  const read = (backwards: boolean, from: { key: string | null; id: string } | null) =>
    walk(db, where, view.sort, view.dir, backwards, from, size + 1);

  const [total, page] = await Promise.all([
    viewTotal(db, view),
    (async () => {
      const first = async () => {
        const rows = await read(false, null);
        return { rows: rows.slice(0, size), hasPrev: false, hasNext: rows.length > size };
      };
      const last = async () => {
        const rows = await read(true, null);
        return { rows: rows.slice(0, size).reverse(), hasPrev: rows.length > size, hasNext: false };
      };
      if (cursor.kind === "first") return first();
      if (cursor.kind === "last") return last();
      if (cursor.side === "after") {
        const rows = await read(false, cursor);
        if (rows.length === 0) return last();
        return { rows: rows.slice(0, size), hasPrev: true, hasNext: rows.length > size };
      }
      const rows = await read(true, cursor);
      if (rows.length <= size) return first();
      return { rows: rows.slice(0, size).reverse(), hasPrev: true, hasNext: true };
    })(),
  ]);
  const firstRow = page.rows[0];
  const lastRow = page.rows[page.rows.length - 1];
  return {
    rows: page.rows.map(({ sortKey: _, ...r }) => r),
    total,
    prev: page.hasPrev && firstRow ? cursorOf(view, "before", firstRow) : null,
    next: page.hasNext && lastRow ? cursorOf(view, "after", lastRow) : null,
  };
}

/**
 * Up to TOTAL_CAP + 1 matching rows, counted: an index range that stops early. Without a
 * search, the rows are taken in the order of the index that holds the filter (role, or last
 * sign-in), so the planner walks that index instead of reading the table until it has enough.
 */
function cappedCount(filter: UsersFilter): SQL {
  const order = filter.q
    ? sql``
    : filter.neverSignedIn || filter.lastSignInBefore
      ? sql`order by ${users.tab}, ${users.lastSignInAt}, ${users.id}`
      : sql`order by ${users.tab}, ${users.role}, ${users.id}`;
  return sql`(select count(*)::int from (select 1 from ${users} where ${usersFilterWhere(filter)} ${order} limit ${TOTAL_CAP + 1}) capped)`;
}

function capped(n: number): Total {
  return n > TOTAL_CAP ? { n: TOTAL_CAP, capped: true } : { n, capped: false };
}

/** How many users a view holds: the tab's count when it is a whole tab, else capped. */
export async function viewTotal(db: Executor, filter: UsersFilter): Promise<Total> {
  if (isWholeTab(filter)) {
    const counts = await tabCounts(db);
    return { n: counts[filter.tab], capped: false };
  }
  const [row] = await queryRows<{ n: number }>(db, sql`select ${cappedCount(filter)} as n`);
  return capped(Number(row?.n ?? 0));
}

/** The exact number of users a filter matches: only when someone asks ("Select all N matching"). */
export async function countMatching(db: Executor, filter: UsersFilter): Promise<number> {
  if (isWholeTab(filter)) return (await tabCounts(db))[filter.tab];
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from ${users} where ${usersFilterWhere(filter)}`,
  );
  return Number(row?.n ?? 0);
}

/**
 * While a search or filter is on: how many users match it in each tab (capped), in one
 * statement, so the tabs can say where the matches are.
 */
export async function tabMatchCounts(
  db: Executor,
  filter: UsersFilter,
): Promise<Record<Tab, Total>> {
  const [row] = await queryRows<Record<Tab, number>>(
    db,
    sql`select ${sql.join(
      TABS.map((tab) => sql`${cappedCount({ ...filter, tab })} as ${sql.identifier(tab)}`),
      sql`, `,
    )}`,
  );
  return Object.fromEntries(TABS.map((t) => [t, capped(Number(row?.[t] ?? 0))])) as Record<
    Tab,
    Total
  >;
}

/** Users per status, from the counts table that triggers keep (a few rows, not the users). */
export async function statusCounts(db: Executor): Promise<Record<UserStatus, number>> {
  const rows = await queryRows<{ status: UserStatus; n: number }>(
    db,
    sql`select status, sum(n)::int as n from ${userStatusCounts} group by status`,
  );
  const byStatus = Object.fromEntries(USER_STATUSES.map((s) => [s, 0])) as Record<
    UserStatus,
    number
  >;
  for (const r of rows) byStatus[r.status] = Number(r.n);
  return byStatus;
}

/** Live count of every tab. */
export async function tabCounts(db: Executor): Promise<Record<Tab, number>> {
  const byStatus = await statusCounts(db);
  return Object.fromEntries(
    TABS.map((t) => [t, TAB_STATUSES[t].reduce((sum, s) => sum + byStatus[s], 0)]),
  ) as Record<Tab, number>;
}

export async function seatsUsed(db: Executor): Promise<number> {
  const byStatus = await statusCounts(db);
  return SEAT_STATUSES.reduce((sum, s) => sum + byStatus[s], 0);
}
