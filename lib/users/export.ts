import { sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import pg from "pg";
import type { Executor } from "@/db/client";
import type { UserRole, UserStatus } from "@/db/schema";
import { orderedViewQuery, usersFilterWhere, walk } from "./queries";
import type { Tab, UsersFilter, UsersView } from "./view";

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

type PoolLike = { connect(): Promise<pg.PoolClient> };

/** The node-postgres pool behind a Drizzle database, or null on PGlite. */
function poolOf(db: Executor): PoolLike | null {
  const client = (db as { $client?: unknown }).$client;
  return client instanceof pg.Pool ? client : null;
}

type RawExportRow = Omit<ExportRow, "lastSignInAt" | "createdAt" | "statusChangedAt"> & {
  lastSignInAt: Date | string | null;
  createdAt: Date | string;
  statusChangedAt: Date | string | null;
};

function toExportRow(r: RawExportRow): ExportRow {
  return {
    id: r.id,
    name: r.name,
    email: r.email,
    role: r.role,
    status: r.status,
    previousStatus: r.previousStatus,
    lastSignInAt: toDate(r.lastSignInAt),
    createdAt: toDate(r.createdAt) ?? new Date(0),
    statusChangedAt: toDate(r.statusChangedAt),
    statusChangedByName: r.statusChangedByName,
    ownedRecords: Number(r.ownedRecords),
  };
}

const dialect = new PgDialect();

/**
 * Every user of a view, in its order, in batches of `batchSize`. On PostgreSQL: ONE query, one
 * ordered index scan, read through a server-side cursor in a read-only transaction of its own
 * (a consistent snapshot; nothing is held in memory but the batch). On PGlite, which has one
 * connection that a long transaction would hold for everyone, keyset batches instead: each one
 * index range scan starting where the last ended, in a transaction of its own (a batch, not the
 * download, holds the connection). lib/users/export-plan.test.ts checks the plans.
 */
export async function* exportBatches(
  db: Executor,
  view: ExportView,
  batchSize = EXPORT_BATCH_SIZE,
): AsyncGenerator<ExportRow[]> {
  const pool = poolOf(db);
  if (!pool) {
    let from: { key: string | null; id: string } | null = null;
    for (;;) {
      const rows = await db.transaction(async (tx) => {
        // One ordered scan per batch, whatever the planner thinks of what is left: as the
        // cursor nears the end of the view, PGlite's planner (no cursor, so no fast-start
        // preference) estimates few rows past it and switches to a bitmap scan of the range
        // plus a sort, which reads the whole rest of a filter's range in every batch. Without
        // sorts and bitmap scans, the only plan left is the (tab, column, id) index range.
        // SET LOCAL ends with this one-statement transaction.
        await tx.execute(sql`set local enable_sort = off`);
        await tx.execute(sql`set local enable_bitmapscan = off`);
        return walk(tx, usersFilterWhere(view), view.sort, view.dir, false, from, batchSize);
      });
      if (rows.length === 0) return;
      yield rows.map((r) => toExportRow(r));
      const last = rows[rows.length - 1];
      if (rows.length < batchSize || !last) return;
      from = { key: last.sortKey, id: last.id };
    }
  }
  const client = await pool.connect();
  let failed: Error | undefined;
  let done = false;
  try {
    await client.query("begin transaction read only");
    const query = dialect.sqlToQuery(orderedViewQuery(view, view.sort, view.dir));
    await client.query(`declare users_export no scroll cursor for ${query.sql}`, query.params);
    for (;;) {
      const { rows } = await client.query<RawExportRow>(`fetch ${batchSize} from users_export`);
      if (rows.length > 0) yield rows.map(toExportRow);
      if (rows.length < batchSize) break;
    }
    await client.query("commit");
    done = true;
  } catch (error) {
    failed = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    // Stopped early (the download was cancelled) or failed: end the transaction, or drop the
    // connection if that fails too, so that no cursor outlives its reader.
    if (failed) {
      client.release(failed);
    } else if (done) {
      client.release();
    } else {
      try {
        await client.query("rollback");
        client.release();
      } catch (error) {
        client.release(error instanceof Error ? error : new Error(String(error)));
      }
    }
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
