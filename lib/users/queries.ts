import { and, eq, inArray, isNull, lt, type SQL, sql } from "drizzle-orm";
import { type Executor, queryRows } from "@/db/client";
import { USER_STATUSES, type UserStatus, userStatusCounts, users } from "@/db/schema";
import { likePattern } from "@/db/sql";
import { pageStart } from "@/lib/page-position";
import { dormantWhere } from "@/lib/policies/dormant-where";
import { SEAT_STATUSES, TAB_CODES } from "@/model/statuses";
import { type Direction, decodeCursor, encodeCursor, SORT_KEY_TYPES } from "./cursor";
import {
  type SortColumn,
  TAB_STATUSES,
  TABS,
  type Tab,
  type UsersFilter,
  type UsersView,
} from "./view";

export { TAB_CODES };

/**
 * What a search matches: name and email as one text, the expression of the trigram index
 * users_search_trgm_idx (a newline between them, so that no typed search spans both).
 */
export const userSearchText = sql`(${users.name} || E'\\n' || ${users.email})`;

/**
 * "Access ending in the next 30 days": an access end date before then (one that has passed,
 * whose job has yet to run, too). The partial index users_access_ends_idx holds exactly them.
 */
const ACCESS_ENDING_DAYS = 30;
const ACCESS_ENDING = sql`("users"."access_ends_at" is not null and "users"."access_ends_at" < now() + ${`${ACCESS_ENDING_DAYS} days`}::interval)`;

/**
 * The conditions of a filter other than its tab. `now` is when "dormant" is reckoned from (the
 * policy's own condition, lib/policies/dormant-where.ts): the time of the query.
 */
function narrowing(filter: Omit<UsersFilter, "tab">, now = new Date()): SQL[] {
  const parts: SQL[] = [];
  if (filter.q) parts.push(sql`${userSearchText} ilike ${likePattern(filter.q)}`);
  if (filter.roles.length) parts.push(inArray(users.role, filter.roles));
  if (filter.neverSignedIn) parts.push(isNull(users.lastSignInAt));
  if (filter.lastSignInBefore) {
    parts.push(lt(users.lastSignInAt, new Date(`${filter.lastSignInBefore}T00:00:00Z`)));
  }
  if (filter.accessEnding) parts.push(ACCESS_ENDING);
  if (filter.dormant) parts.push(dormantWhere(filter.dormant, now));
  return parts;
}

/** The WHERE clause of a view's filter: shared by the table, "all N matching" and the export. */
export function usersFilterWhere(filter: UsersFilter, now?: Date): SQL {
  return and(eq(users.tab, TAB_CODES[filter.tab]), ...narrowing(filter, now)) as SQL;
}

const SORTS = {
  name: users.name,
  email: users.email,
  role: users.role,
  lastSignIn: users.lastSignInAt,
  created: users.createdAt,
  statusChanged: users.statusChangedAt,
} as const;

/** Who a user is and where they stand: the part every row of users carries (table, CSV, plan). */
export type UserCore = {
  id: string;
  name: string;
  email: string;
  role: (typeof users.$inferSelect)["role"];
  status: UserStatus;
  previousStatus: UserStatus | null;
};

export type UserRow = UserCore & {
  lastSignInAt: string | null;
  createdAt: string;
  statusChangedAt: string | null;
  statusChangedByName: string | null;
  /** The reason given for the latest change of status (null: none, or redacted). */
  statusReason: string | null;
  ownedRecords: number;
  /** The open invitation (unused, unexpired), if any: when it was sent and when it expires. */
  invitationSentAt: string | null;
  invitationExpiresAt: string | null;
  /** What a pending user wrote when asking for access (/request-access), if they did. */
  requestMessage: string | null;
  /** When they are deactivated by the access end date policy (schedule deactivation), if set. */
  accessEndsAt: string | null;
};

/** True when a view narrows its tab by nothing else, so the tab's count is its total. */
function isWholeTab(view: UsersFilter): boolean {
  return (
    !view.q &&
    view.roles.length === 0 &&
    !view.neverSignedIn &&
    !view.lastSignInBefore &&
    !view.accessEnding &&
    !view.dormant
  );
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
  /** Where the page starts in the view (0-based); null when not known (an older link). */
  start: number | null;
};

export type SortKeyRow = UserRow & { sortKey: string | null };

const op = (dir: Direction) => sql.raw(dir === "asc" ? ">" : "<");
const reverse = (dir: Direction): Direction => (dir === "asc" ? "desc" : "asc");

/**
 * The reason of a user's latest change of status, from the audit log (its events by target and
 * time: audit_target_at_idx): the text kept in audit_reasons, null when none was given or it was
 * redacted.
 */
function statusReasonSql(userId: SQL): SQL {
  return sql`select (select r.text from audit_reasons r where r.id = e.reason_id)
    from audit_events e
    where e.target_id = ${userId} and e.to_status is not null
      and e.from_status is distinct from e.to_status
    order by e.at desc, e.id desc limit 1`;
}

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
      (${statusReasonSql(sql`page.id`)}) as "statusReason",
      ((select count(*) from projects p where p.owner_id = page.id)
        + (select count(*) from automations a where a.owner_id = page.id))::int as "ownedRecords",
      inv.created_at as "invitationSentAt", inv.expires_at as "invitationExpiresAt",
      case when page.status = 'pending' then
        (select r.message from access_requests r where r.user_id = page.id) end as "requestMessage"
    from (
      select ${users.id} as id, ${users.name} as name, ${users.email} as email, ${users.role} as role,
        ${users.status} as status, ${users.previousStatus} as "previousStatus",
        ${users.lastSignInAt} as "lastSignInAt", ${users.createdAt} as "createdAt",
        ${users.statusChangedAt} as "statusChangedAt", ${users.statusChangedBy} as status_changed_by,
        "users"."access_ends_at" as "accessEndsAt",
        -- Behind a mark: PGlite decodes each text value with a TextDecoder that drops a leading
        -- U+FEFF, so a name starting with one came back shorter than stored, and a cursor on it
        -- read that row again. toRow takes the mark off.
        'k' || ${column}::text as "sortKey"
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
  | "lastSignInAt"
  | "createdAt"
  | "statusChangedAt"
  | "invitationSentAt"
  | "invitationExpiresAt"
  | "accessEndsAt"
> & {
  accessEndsAt: string | Date | null;
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
    statusReason: r.statusReason ?? null,
    ownedRecords: Number(r.ownedRecords),
    invitationSentAt: iso(r.invitationSentAt),
    invitationExpiresAt: iso(r.invitationExpiresAt),
    requestMessage: r.requestMessage || null,
    accessEndsAt: iso(r.accessEndsAt),
    sortKey: r.sortKey === null ? null : r.sortKey.slice(1),
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

function cursorOf(
  view: UsersView,
  side: "after" | "before",
  row: SortKeyRow,
  at: number | null,
): string {
  return encodeCursor({
    side,
    sort: view.sort,
    dir: view.dir,
    key: row.sortKey,
    id: row.id,
    ...(at === null ? {} : { at }),
  });
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
      // `at`: where the page starts, as the cursor says; "end" counts back from the total.
      const first = async () => {
        const rows = await read(false, null);
        return { rows: rows.slice(0, size), hasPrev: false, hasNext: rows.length > size, at: 0 };
      };
      const last = async () => {
        const rows = await read(true, null);
        return {
          rows: rows.slice(0, size).reverse(),
          hasPrev: rows.length > size,
          hasNext: false,
          at: "end" as const,
        };
      };
      if (cursor.kind === "first") return first();
      if (cursor.kind === "last") return last();
      const at = cursor.at ?? null;
      if (cursor.side === "after") {
        const rows = await read(false, cursor);
        if (rows.length === 0) return last();
        return { rows: rows.slice(0, size), hasPrev: true, hasNext: rows.length > size, at };
      }
      const rows = await read(true, cursor);
      if (rows.length <= size) return first();
      return { rows: rows.slice(0, size).reverse(), hasPrev: true, hasNext: true, at };
    })(),
  ]);
  const firstRow = page.rows[0];
  const lastRow = page.rows[page.rows.length - 1];
  const shown = page.rows.length;
  const start = pageStart(page.at, shown, total, page.hasPrev);
  return {
    rows: page.rows.map(({ sortKey: _, ...r }) => r),
    total,
    prev:
      page.hasPrev && firstRow
        ? cursorOf(view, "before", firstRow, start === null ? null : Math.max(0, start - size))
        : null,
    next:
      page.hasNext && lastRow
        ? cursorOf(view, "after", lastRow, start === null ? null : start + shown)
        : null,
    start,
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
    : filter.accessEnding
      ? sql`order by "users"."access_ends_at"`
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
 * A search's match counts read at most this many matches in their one pass: a search that
 * matches fewer (most searches for a name) is counted exactly in every tab by one trigram index
 * scan instead of five. A broader one then counts on its own each tab that had not reached the
 * cap among them. Not more: each match read is a heap row rechecked, and at 1,000,000 users
 * reading all 46,074 matches of "ava" cost more than five scans that each stop at the cap
 * (bench/RESULTS.md, issue 20).
 */
const MATCH_PASS_LIMIT = 2 * (TOTAL_CAP + 1);

/** Each tab's capped count of a filter, one index range that stops early per tab. */
async function cappedPerTab(
  db: Executor,
  filter: UsersFilter,
  tabs: readonly Tab[],
): Promise<Partial<Record<Tab, number>>> {
  const [row] = await queryRows<Record<Tab, number>>(
    db,
    sql`select ${sql.join(
      tabs.map((tab) => sql`${cappedCount({ ...filter, tab })} as ${sql.identifier(tab)}`),
      sql`, `,
    )}`,
  );
  return Object.fromEntries(tabs.map((t) => [t, Number(row?.[t] ?? 0)]));
}

/**
 * While a search or filter is on: how many users match it in each tab (capped), so the tabs can
 * say where the matches are. A search is one pass over its matches (one trigram index scan)
 * grouped by tab, rather than one scan per tab; other filters are an index range per tab.
 */
export async function tabMatchCounts(
  db: Executor,
  filter: UsersFilter,
  passLimit = MATCH_PASS_LIMIT,
): Promise<Record<Tab, Total>> {
  let counts: Partial<Record<Tab, number>>;
  if (!filter.q) {
    counts = await cappedPerTab(db, filter, TABS);
  } else {
    const rows = await queryRows<{ tab: number; n: number }>(
      db,
      sql`select tab, count(*)::int as n from (
        select ${users.tab} as tab from ${users} where ${and(...narrowing(filter))}
        limit ${passLimit}) matches group by tab`,
    );
    counts = Object.fromEntries(
      TABS.map((t) => [t, Number(rows.find((r) => Number(r.tab) === TAB_CODES[t])?.n ?? 0)]),
    );
    const seen = rows.reduce((sum, r) => sum + Number(r.n), 0);
    // The pass stopped early: a tab below the cap among the matches read may have more.
    const unsure = seen < passLimit ? [] : TABS.filter((t) => (counts[t] ?? 0) <= TOTAL_CAP);
    if (unsure.length) counts = { ...counts, ...(await cappedPerTab(db, filter, unsure)) };
  }
  return Object.fromEntries(TABS.map((t) => [t, capped(counts[t] ?? 0)])) as Record<Tab, Total>;
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
