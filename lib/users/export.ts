import { and, asc, desc, isNull, or, type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Executor } from "@/db/client";
import { type UserRole, type UserStatus, users } from "@/db/schema";
import { USER_ROW_COLUMNS, usersFilterWhere } from "./queries";
import type { SortColumn, Tab, UsersFilter, UsersView } from "./view";

/** What an export needs from a view: its filter and its order (never its page). */
export type ExportView = UsersFilter & Pick<UsersView, "sort" | "dir">;

export type ExportRow = {
  id: string;
  name: string;
  email: string;
  role: UserRole;
  status: UserStatus;
  previousStatus: UserStatus | null;
  lastSignInAt: Date | null;
  createdAt: Date;
  statusChangedAt: Date | null;
  statusChangedByName: string | null;
  ownedRecords: number;
};

type Cell = string | number | null;

/** The columns of the file, in order: the header row and how each row fills it. */
export const EXPORT_COLUMNS: readonly { header: string; value: (row: ExportRow) => Cell }[] = [
  { header: "Name", value: (r) => r.name },
  { header: "Email", value: (r) => r.email },
  { header: "Role", value: (r) => r.role },
  { header: "Status", value: (r) => r.status },
  { header: "Previous status", value: (r) => r.previousStatus },
  { header: "Last sign-in", value: (r) => iso(r.lastSignInAt) },
  { header: "Created", value: (r) => iso(r.createdAt) },
  { header: "Status changed", value: (r) => iso(r.statusChangedAt) },
  { header: "Status changed by", value: (r) => r.statusChangedByName },
  { header: "Records owned", value: (r) => r.ownedRecords },
  { header: "ID", value: (r) => r.id },
];

const EXPORT_BATCH_SIZE = 1000;

function iso(value: Date | null): string | null {
  return value ? value.toISOString() : null;
}

// A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection"),
// and Excel and LibreOffice skip leading spaces (any Unicode space) before looking. Full-width
// forms count too: some spreadsheets read them as their ASCII twins.
const FORMULA_START = /^[\t\r]|^\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/u;

/** One CSV field: formula-looking text neutralised with a leading quote, then RFC 4180 quoting. */
export function csvCell(value: Cell): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvLine(cells: readonly Cell[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

export function csvHeader(): string {
  return csvLine(EXPORT_COLUMNS.map((c) => c.header));
}

function csvRow(row: ExportRow): string {
  return csvLine(EXPORT_COLUMNS.map((c) => c.value(row)));
}

/** `roster-archived-2024-05-31.csv` */
export function exportFileName(tab: Tab, now = new Date()): string {
  return `roster-${tab}-${now.toISOString().slice(0, 10)}.csv`;
}

type SortKey = { column: PgColumn; type: string; nullable: boolean };

const SORT_KEYS: Record<SortColumn, SortKey> = {
  name: { column: users.name, type: "text", nullable: false },
  email: { column: users.email, type: "text", nullable: false },
  role: { column: users.role, type: "user_role", nullable: false },
  lastSignIn: { column: users.lastSignInAt, type: "timestamptz", nullable: true },
  created: { column: users.createdAt, type: "timestamptz", nullable: false },
  statusChanged: { column: users.statusChangedAt, type: "timestamptz", nullable: true },
};

/** Where the last batch ended: the sort key as text (full precision, timestamps included) and id. */
type Cursor = { key: string | null; id: string };

/**
 * The rows after `cursor` in the view's order (sort column, then id; nulls last either way, as
 * the table shows them). Comparing row values lets the (status, column, id) indexes serve it.
 */
function afterCursor(view: ExportView, cursor: Cursor): SQL {
  const { column, type, nullable } = SORT_KEYS[view.sort];
  const op = sql.raw(view.dir === "asc" ? ">" : "<");
  if (cursor.key === null) {
    // Already among the nulls, which come last: only the rest of them, by id.
    return and(isNull(column), sql`${users.id} ${op} ${cursor.id}::uuid`) as SQL;
  }
  const after = sql`(${column}, ${users.id}) ${op} (${cursor.key}::${sql.raw(type)}, ${cursor.id}::uuid)`;
  return nullable ? (or(after, isNull(column)) as SQL) : after;
}

function orderOf(view: ExportView): SQL[] {
  const { column, nullable } = SORT_KEYS[view.sort];
  const dir = view.dir === "asc" ? asc : desc;
  return nullable
    ? [sql`${column} ${sql.raw(view.dir)} nulls last`, dir(users.id)]
    : [dir(column), dir(users.id)];
}

/**
 * Every user of a view, in batches of `batchSize`, by keyset pagination: each batch is one short
 * query that starts where the last one ended, so no batch holds more than `batchSize` rows and
 * no statement stays open between batches.
 */
export async function* exportBatches(
  db: Executor,
  view: ExportView,
  batchSize = EXPORT_BATCH_SIZE,
): AsyncGenerator<ExportRow[]> {
  const where = usersFilterWhere(view);
  const { column } = SORT_KEYS[view.sort];
  let cursor: Cursor | null = null;
  for (;;) {
    const rows: (ExportRow & { sortKey: string | null })[] = await db
      .select({
        ...USER_ROW_COLUMNS,
        sortKey: sql<string | null>`${column}::text`,
      })
      .from(users)
      .where(cursor ? and(where, afterCursor(view, cursor)) : where)
      .orderBy(...orderOf(view))
      .limit(batchSize);
    if (rows.length === 0) return;
    yield rows.map(({ sortKey: _, ...r }) => ({
      ...r,
      lastSignInAt: toDate(r.lastSignInAt),
      createdAt: toDate(r.createdAt) ?? new Date(0),
      statusChangedAt: toDate(r.statusChangedAt),
      ownedRecords: Number(r.ownedRecords),
    }));
    if (rows.length < batchSize) return;
    const last = rows[rows.length - 1];
    if (!last) return;
    cursor = { key: last.sortKey, id: last.id };
  }
}

function toDate(value: Date | string | null): Date | null {
  return value === null ? null : new Date(value);
}

/**
 * The CSV of a view as a stream: the header, then one batch at a time, read only as fast as
 * the client takes it (pull-based), so a 100,000-row export never sits in memory.
 */
export function usersCsvStream(
  db: Executor,
  view: ExportView,
  batchSize = EXPORT_BATCH_SIZE,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const batches = exportBatches(db, view, batchSize);
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        // A byte-order mark, so that spreadsheet apps read the file as UTF-8.
        controller.enqueue(encoder.encode(`\uFEFF${csvHeader()}`));
        return;
      }
      try {
        const next = await batches.next();
        if (next.done) {
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(next.value.map(csvRow).join("")));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
}
