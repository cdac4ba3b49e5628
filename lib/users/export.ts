import { mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type SQL, sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import type { Executor } from "@/db/client";
import { orderedViewQuery, type UserCore, usersFilterWhere, walk } from "./queries";
import type { Tab, UsersFilter, UsersView } from "./view";

/** What an export needs from a view: its filter and its order (never its page). */
export type ExportView = UsersFilter & Pick<UsersView, "sort" | "dir">;

export type ExportRow = UserCore & {
  lastSignInAt: Date | null;
  createdAt: Date;
  statusChangedAt: Date | null;
  statusChangedByName: string | null;
  /** The reason given for the latest change of status (typed by an admin: neutralised). */
  statusReason: string | null;
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
  { header: "Reason", value: (r) => r.statusReason },
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
    statusReason: r.statusReason ?? null,
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
  for await (const rows of cursorBatches<RawExportRow>(
    pool,
    orderedViewQuery(view, view.sort, view.dir),
    batchSize,
  )) {
    yield rows.map(toExportRow);
  }
}

/**
 * The rows of one query through a server-side cursor, in a read-only transaction of its own,
 * `batchSize` at a time; the transaction ends (or the connection is dropped) when the reader
 * stops, early or not.
 */
async function* cursorBatches<Row extends object>(
  pool: PoolLike,
  query: SQL,
  batchSize: number,
): AsyncGenerator<Row[]> {
  const client = await pool.connect();
  let failed: Error | undefined;
  let done = false;
  try {
    await client.query("begin transaction read only");
    const q = dialect.sqlToQuery(query);
    await client.query(`declare users_export no scroll cursor for ${q.sql}`, q.params);
    for (;;) {
      const { rows } = await client.query<Row>(`fetch ${batchSize} from users_export`);
      if (rows.length > 0) yield rows;
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

// The same cell as csvCell, computed by PostgreSQL (the patterns are bound as parameters, so
// they hold the characters themselves). JavaScript's \s, as FORMULA_START reads it with the u
// flag, spelled out: PostgreSQL's [[:space:]] depends on the server's locale.
const JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff";
const FORMULA_AHEAD = `^(?=[\t\r]|[${JS_SPACE}]*[=+@\uFF1D\uFF0B\uFF0D\uFF20-])`;
const NEEDS_QUOTES = '^(.*[",\r\n].*)$';
const QUOTED = '"\\1"'; // the whole match (\1), in quotes

function csvCellSql(text: SQL): SQL {
  // Neutralise, double the quotes, then wrap the whole cell in quotes if it holds a quote, a
  // comma or a line break (in PostgreSQL's regular expressions "." matches line breaks too).
  return sql`coalesce(regexp_replace(replace(regexp_replace(${text}, ${FORMULA_AHEAD}, ${"'"}), '"', '""'), ${NEEDS_QUOTES}, ${QUOTED}), '')`;
}

function isoSql(column: string): SQL {
  // Date#toISOString of what node-postgres reads: milliseconds, truncated, in UTC.
  return sql`coalesce(to_char(${sql.identifier(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), '')`;
}

/**
 * The CSV lines of a view (the columns of EXPORT_COLUMNS, in order), each built by the database
 * from the export's one ordered query: the server then streams text it need not parse, format
 * or escape row by row, which is most of the cost of an export over a plain COPY.
 * export.test.ts checks that the file is byte for byte what csvCell makes of the same rows.
 */
function csvLinesQuery(view: ExportView): SQL {
  const col = (name: string) => sql.identifier(name);
  const cells = [
    csvCellSql(sql`${col("name")}`),
    csvCellSql(sql`${col("email")}`),
    sql`${col("role")}::text`,
    sql`${col("status")}::text`,
    sql`coalesce(${col("previousStatus")}::text, '')`,
    isoSql("lastSignInAt"),
    isoSql("createdAt"),
    isoSql("statusChangedAt"),
    csvCellSql(sql`${col("statusChangedByName")}`),
    csvCellSql(sql`${col("statusReason")}`),
    sql`${col("ownedRecords")}::text`,
    sql`${col("id")}::text`,
  ];
  return sql`select concat_ws(',', ${sql.join(cells, sql`, `)}) || E'\r\n' as line
    from (${orderedViewQuery(view, view.sort, view.dir)}) v`;
}

function toDate(value: Date | string | null): Date | null {
  return value === null ? null : new Date(value);
}

/** A bound parameter as an SQL literal, for the one statement that takes none: COPY. */
function literal(client: pg.PoolClient, value: unknown): string {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "string") return client.escapeLiteral(value);
  if (value instanceof Date) return client.escapeLiteral(value.toISOString());
  throw new Error(`export: cannot inline a ${typeof value} parameter into COPY`);
}

// The header of PostgreSQL's binary COPY format: signature, flags, header extension length.
const COPY_SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
const COPY_HEADER = COPY_SIGNATURE.length + 8;

/**
 * The CSV lines of a view, built by the database (csvLinesQuery) and streamed by the server
 * itself: `COPY (<the export's one ordered query>) TO STDOUT` through pg-copy-streams, one
 * statement and one ordered scan (its own snapshot). Binary COPY, because the text and csv
 * formats would escape or quote the lines (their line breaks, backslashes and quotes): a binary
 * tuple of one text column is its length and its bytes, which this takes as they are. Read only
 * as fast as the caller asks (the socket is paused in between); the connection goes back to the
 * pool when the COPY ends, and is dropped if it fails or the reader stops early.
 */
async function* copyCsvLines(
  pool: PoolLike,
  view: ExportView,
  signal: AbortSignal,
): AsyncGenerator<Uint8Array> {
  const client = await connectWithSpoolSlot(pool, signal);
  let ended = false;
  let failed: Error | undefined;
  try {
    const q = dialect.sqlToQuery(csvLinesQuery(view));
    const select = q.sql.replace(/\$(\d+)/g, (_, n: string) =>
      literal(client, q.params[Number(n) - 1]),
    );
    const stream = client.query(copyTo(`copy (${select}) to stdout with (format binary)`));
    let rest: Buffer = Buffer.alloc(0);
    let headerRead = false;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const buf = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
      let at = 0;
      if (!headerRead) {
        if (buf.length < COPY_HEADER) {
          rest = buf;
          continue;
        }
        if (!buf.subarray(0, COPY_SIGNATURE.length).equals(COPY_SIGNATURE)) {
          throw new Error("export: not a binary COPY stream");
        }
        at = COPY_HEADER + buf.readUInt32BE(COPY_HEADER - 4);
        headerRead = true;
      }
      const lines: Buffer[] = [];
      // Each tuple: 16-bit field count (1; -1 ends the data), 32-bit length, the line's bytes.
      while (at + 2 <= buf.length) {
        const fields = buf.readInt16BE(at);
        if (fields === -1) {
          at = buf.length;
          break;
        }
        if (fields !== 1) throw new Error("export: a COPY tuple of other than one field");
        if (at + 6 > buf.length) break;
        const size = buf.readInt32BE(at + 2);
        if (size < 0) throw new Error("export: a NULL CSV line");
        if (at + 6 + size > buf.length) break;
        lines.push(buf.subarray(at + 6, at + 6 + size));
        at += 6 + size;
      }
      rest = buf.subarray(at);
      if (lines.length > 0) yield Buffer.concat(lines);
    }
    if (rest.length > 0) throw new Error("export: the COPY stream ended mid-tuple");
    // Ends the transaction that holds the cluster's spool slot (connectWithSpoolSlot).
    await client.query("commit");
    ended = true;
  } catch (error) {
    failed = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    // Ended: the connection is idle again. Failed, or stopped early (the download was
    // cancelled) while the server may still be sending: drop the connection, which ends the COPY.
    client.release(ended ? undefined : (failed ?? new Error("export: stopped before the end")));
  }
}

/**
 * Spools (each a COPY of a whole view, holding a pooled connection) that run at once: one per
 * instance, and SPOOLS_PER_CLUSTER in the whole cluster. A spool is bulk work for the database (a
 * 1M-user workspace's Active tab is ~850,000 rows, about 11 s of one database core): 25 of them at
 * once, six at a time, made every page on a 2-core machine 3.4× slower (bench/RESULTS.md, issue
 * 21). The others wait their turn holding no connection: the instance's queue in memory, the
 * cluster's as a transaction-level advisory lock tried every ~0.5 s (a lock that outlives its
 * transaction would not survive a transaction-pooling PgBouncer).
 */
const COPIES_PER_INSTANCE = 1;
const SPOOLS_PER_CLUSTER = 1;
/** The advisory lock class of the spool slots (the two-int key space: no bigint key meets it). */
export const SPOOL_LOCK_CLASS = 72_651;
const SPOOL_RETRY_MS = 400;
/** A download not finished after this is cut off (it holds a spool file, never a connection). */
const EXPORT_DEADLINE_MS = 15 * 60_000;

type Semaphore = { active: number; waiting: (() => void)[] };
const globalForExports = globalThis as unknown as { rosterCopySlots?: Semaphore };

async function withCopySlot<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  globalForExports.rosterCopySlots ??= { active: 0, waiting: [] };
  const slots = globalForExports.rosterCopySlots;
  if (slots.active >= COPIES_PER_INSTANCE) {
    await new Promise<void>((resolve) => slots.waiting.push(resolve));
  } else {
    slots.active++;
  }
  try {
    signal.throwIfAborted();
    return await work();
  } finally {
    const next = slots.waiting.shift();
    if (next) next();
    else slots.active--;
  }
}

/**
 * A pooled connection in an open transaction that holds one of the cluster's spool slots. While
 * every slot is taken it holds no connection between tries; a cancelled download stops waiting.
 */
async function connectWithSpoolSlot(pool: PoolLike, signal: AbortSignal): Promise<pg.PoolClient> {
  for (;;) {
    signal.throwIfAborted();
    const client = await pool.connect();
    try {
      await client.query("begin");
      for (let slot = 0; slot < SPOOLS_PER_CLUSTER; slot++) {
        const { rows } = await client.query<{ ok: boolean }>(
          "select pg_try_advisory_xact_lock($1, $2) as ok",
          [SPOOL_LOCK_CLASS, slot],
        );
        if (rows[0]?.ok) return client;
      }
      await client.query("rollback");
      client.release();
    } catch (error) {
      client.release(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, SPOOL_RETRY_MS * (0.5 + Math.random())));
  }
}

const SPOOL_READ_BYTES = 256 * 1024;

/**
 * The lines of copyCsvLines, spooled: the COPY runs at the database's pace into a temporary file
 * (unlinked at once: it lives while open, and a crash leaves nothing behind), the connection goes
 * back to the pool, and only then is the file handed to the client at the client's pace. A slow
 * or stalled download so holds a file descriptor, never a pooled connection.
 */
async function* spooledCsvLines(
  pool: PoolLike,
  view: ExportView,
  signal: AbortSignal,
): AsyncGenerator<Uint8Array> {
  const dir = await mkdtemp(path.join(tmpdir(), "roster-export-"));
  const file = await open(path.join(dir, "export.csv"), "w+", 0o600);
  try {
    await rm(dir, { recursive: true, force: true });
    const size = await withCopySlot(signal, async () => {
      let written = 0;
      for await (const chunk of copyCsvLines(pool, view, signal)) {
        // A cancelled download stops its COPY (the connection is dropped, the slot freed).
        signal.throwIfAborted();
        await file.write(chunk, 0, chunk.byteLength, written);
        written += chunk.byteLength;
      }
      return written;
    });
    let at = 0;
    while (at < size) {
      const buffer = Buffer.alloc(Math.min(SPOOL_READ_BYTES, size - at));
      const { bytesRead } = await file.read(buffer, 0, buffer.length, at);
      if (bytesRead === 0) throw new Error("export: the spool file ended early");
      at += bytesRead;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await file.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The CSV of a view as a stream: the header, then the rows a part at a time, read only as fast
 * as the client takes it (pull-based), so a 100,000-row export never sits in memory. On
 * PostgreSQL the rows come from a spool file (spooledCsvLines), so the download holds no
 * database connection; on PGlite each batch is a short transaction of its own. `onEnd` runs once
 * when the stream ends, fails, is cancelled or passes `deadlineMs`.
 */
export function usersCsvStream(
  db: Executor,
  view: ExportView,
  batchSize = EXPORT_BATCH_SIZE,
  options: { onEnd?: () => void; deadlineMs?: number } = {},
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const pool = poolOf(db);
  // Aborted when the download is cancelled or cut off: a spool still waiting for its turn, or
  // still copying, stops.
  const stop = new AbortController();
  const batches: AsyncGenerator<Uint8Array> = pool
    ? spooledCsvLines(pool, view, stop.signal)
    : (async function* () {
        for await (const rows of exportBatches(db, view, batchSize)) {
          yield encoder.encode(rows.map(csvRow).join(""));
        }
      })();
  let started = false;
  let ended = false;
  let deadline: NodeJS.Timeout | undefined;
  const end = () => {
    if (ended) return;
    ended = true;
    clearTimeout(deadline);
    options.onEnd?.();
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      deadline = setTimeout(() => {
        controller.error(new Error("export: the download took too long"));
        stop.abort();
        void batches.return(undefined).finally(end);
      }, options.deadlineMs ?? EXPORT_DEADLINE_MS);
      deadline.unref();
    },
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
          end();
          return;
        }
        controller.enqueue(next.value);
      } catch (error) {
        controller.error(error);
        end();
      }
    },
    async cancel() {
      stop.abort();
      try {
        await batches.return(undefined);
      } finally {
        end();
      }
    },
  });
}
