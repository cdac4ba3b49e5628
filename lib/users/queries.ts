import { and, asc, desc, eq, inArray, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { USER_STATUSES, type UserStatus, users } from "@/db/schema";
import { SEAT_STATUSES } from "./lifecycle";
import { TAB_STATUSES, TABS, type Tab, type UsersFilter, type UsersView } from "./view";

/** Escapes LIKE wildcards so that a search for "50%" means the text "50%". */
function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The WHERE clause of a view's filter: shared by the table, "all N matching" and the export. */
export function usersFilterWhere(filter: UsersFilter): SQL {
  const parts: SQL[] = [inArray(users.status, [...TAB_STATUSES[filter.tab]])];
  if (filter.q) {
    const pattern = likePattern(filter.q);
    parts.push(
      or(sql`${users.name} ilike ${pattern}`, sql`${users.email} ilike ${pattern}`) as SQL,
    );
  }
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

// Qualified by hand: Drizzle writes a one-table select's columns unqualified, and inside these
// subqueries a bare "id" would mean the subquery's own table.
const changer = sql<
  string | null
>`(select c.name from users c where c.id = "users"."status_changed_by")`;
const owned = sql<number>`((select count(*) from projects p where p.owner_id = "users"."id") + (select count(*) from automations a where a.owner_id = "users"."id"))::int`;

const openInvitation = (column: "created_at" | "expires_at") =>
  sql<
    string | null
  >`(select i.${sql.raw(column)} from invitations i where i.user_id = "users"."id" and i.used_at is null and i.expires_at > now() order by i.created_at desc limit 1)`;

/** The columns of a users-table row: the table and the CSV export select the same. */
export const USER_ROW_COLUMNS = {
  id: users.id,
  name: users.name,
  email: users.email,
  role: users.role,
  status: users.status,
  previousStatus: users.previousStatus,
  lastSignInAt: users.lastSignInAt,
  createdAt: users.createdAt,
  statusChangedAt: users.statusChangedAt,
  statusChangedByName: changer,
  ownedRecords: owned,
  invitationSentAt: openInvitation("created_at"),
  invitationExpiresAt: openInvitation("expires_at"),
};

/** True when a view narrows its tab by nothing else, so the tab's count is its total. */
export function isWholeTab(view: UsersFilter): boolean {
  return !view.q && view.roles.length === 0 && !view.neverSignedIn && !view.lastSignInBefore;
}

/**
 * One page of a view, and its total. Pass `knownTotal` (the tab's count, for a view that is a
 * whole tab) to save counting the same rows twice.
 */
export async function listUsers(
  db: Executor,
  view: UsersView,
  knownTotal?: number,
): Promise<{ rows: UserRow[]; total: number }> {
  const where = usersFilterWhere(view);
  const column = SORTS[view.sort];
  const order = view.dir === "asc" ? asc : desc;
  // Nulls ("Never") sort last whichever way the column goes, then a stable tie-break.
  const orderBy =
    view.sort === "lastSignIn" || view.sort === "statusChanged"
      ? // "id desc nulls last" (id is never null) so that the order matches the descending index.
        [
          sql`${column} ${sql.raw(view.dir)} nulls last`,
          sql`${users.id} ${sql.raw(view.dir)} nulls last`,
        ]
      : [order(column), order(users.id)];
  const [rows, [totalRow]] = await Promise.all([
    db
      .select(USER_ROW_COLUMNS)
      .from(users)
      .where(where)
      .orderBy(...orderBy)
      .limit(view.size)
      .offset((view.page - 1) * view.size),
    knownTotal !== undefined
      ? Promise.resolve([{ total: knownTotal }])
      : db.select({ total: sql<number>`count(*)::int` }).from(users).where(where),
  ]);
  return {
    rows: rows.map((r) => ({
      ...r,
      lastSignInAt: r.lastSignInAt ? new Date(r.lastSignInAt).toISOString() : null,
      createdAt: new Date(r.createdAt).toISOString(),
      statusChangedAt: r.statusChangedAt ? new Date(r.statusChangedAt).toISOString() : null,
      ownedRecords: Number(r.ownedRecords),
      invitationSentAt: r.invitationSentAt ? new Date(r.invitationSentAt).toISOString() : null,
      invitationExpiresAt: r.invitationExpiresAt
        ? new Date(r.invitationExpiresAt).toISOString()
        : null,
    })),
    total: Number(totalRow?.total ?? 0),
  };
}

/** Live count of every tab, in one statement. */
export async function tabCounts(db: Executor): Promise<Record<Tab, number>> {
  const rows = await db
    .select({ status: users.status, n: sql<number>`count(*)::int` })
    .from(users)
    .groupBy(users.status);
  const byStatus = Object.fromEntries(USER_STATUSES.map((s) => [s, 0])) as Record<
    UserStatus,
    number
  >;
  for (const r of rows) byStatus[r.status] = Number(r.n);
  return Object.fromEntries(
    TABS.map((t) => [t, TAB_STATUSES[t].reduce((sum, s) => sum + byStatus[s], 0)]),
  ) as Record<Tab, number>;
}

export async function seatsUsed(db: Executor): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(inArray(users.status, [...SEAT_STATUSES]));
  return Number(row?.n ?? 0);
}

export async function userById(db: Executor, id: string) {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row ?? null;
}
