/**
 * Issue 16 §2: "Import CSV" of a 100,000-row file on PostgreSQL. Prints, never asserts:
 * - the app's memory growth (RSS and heap, sampled every 20 ms) while the preview streams the file
 *   from disk through csv-parse into csv_import_rows and plans it;
 * - the preview's and the apply's times;
 * - the floor, in the same run and database: a bare `COPY … FROM STDIN` of an equal file (fresh
 *   addresses) into a temporary table, then `INSERT INTO users … SELECT` from it.
 * On a throwaway database of the PostgreSQL server of TEST_DATABASE_URL (dropped at the end).
 *
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test nice flock /tmp/roster-heavy.lock \
 *     node --expose-gc --import tsx bench/import-csv.ts [--rows 100000] [--invited 0.5] [--batch N] \
 *     [--db roster_bench_import] [--autovacuum]
 */
import { createReadStream, writeFileSync } from "node:fs";
import os from "node:os";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { openDatabase, queryRows } from "@/db/client";
import { seedDemo } from "@/lib/demo";
import { applyImport, previewImport } from "@/lib/users/import-users";
import { runNewUsersBatch } from "@/lib/users/new-users-job";
import { demoAdmin, loadAverage, throwawayDatabase } from "./fixtures";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "100000" },
    invited: { type: "string", default: "0.5" },
    /** A fixed batch size; without it, the job's own (adaptive, nextBatchSize). */
    batch: { type: "string" },
    /** The throwaway database's name (two benches at once need two names). */
    db: { type: "string", default: "roster_bench_import" },
    /** Leave autovacuum on for the tables written (off by default: see below). */
    autovacuum: { type: "boolean", default: false },
  },
});
const ROWS = Number(values.rows);
const INVITED = Number(values.invited);
const BATCH = values.batch === undefined ? undefined : Number(values.batch);
const cpu = os.cpus();
const log = (line: string) => console.log(line);
log(`import-csv — ${new Date().toISOString()}, ${cpu.length} × ${cpu[0]?.model.trim()}`);
log(`load ${loadAverage()}`);

const server = process.env.TEST_DATABASE_URL;
if (!server) throw new Error("import-csv: set TEST_DATABASE_URL");

/** A file like one an admin exports from a spreadsheet: `;`, a BOM, CRLF, quoted names. */
function writeFile(path: string, tag: string): number {
  const lines = ["\uFEFFEmail;Name;Role;Status"];
  for (let i = 0; i < ROWS; i++) {
    const status = i < ROWS * INVITED ? "invited" : "pending";
    lines.push(`person.${tag}.${i}@bench.test;"Person ${i}, ${tag}";member;${status}`);
  }
  const text = `${lines.join("\r\n")}\r\n`;
  writeFileSync(path, text);
  return Buffer.byteLength(text);
}

const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
const secs = (ms: number) => (ms / 1000).toFixed(2);

const scratch = await throwawayDatabase(server, values.db as string);
const h = await openDatabase({ url: scratch.url });
try {
  await h.migrate();
  await seedDemo(h.db);
  if (!values.autovacuum) {
    // Neither the apply nor the floor gets autovacuum's help in the background (it flushes the
    // trigram index's pending list, say): with it, the same floor took 5.3 s or 8.0 s.
    for (const table of ["users", "audit_events", "invitations", "outbox", "csv_import_rows"])
      await h.db.execute(sql.raw(`alter table ${table} set (autovacuum_enabled = false)`));
  }
  const actor = await demoAdmin(h.db);
  const file = "/tmp/roster-bench-import.csv";
  const bytes = writeFile(file, "a");
  log(`file: ${ROWS.toLocaleString("en-US")} rows, ${mb(bytes)} MB, ${INVITED * 100}% invited`);

  // Memory: sampled while the preview streams the file; the baseline after a full GC.
  (globalThis as { gc?: () => void }).gc?.();
  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakHeap = base.heapUsed;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 20);
  let t = performance.now();
  const preview = await previewImport(h.db, {
    actor,
    fileName: "bench.csv",
    source: createReadStream(file, { highWaterMark: 64 * 1024 }),
    seatLimit: 10_000_000,
  });
  const previewMs = performance.now() - t;
  clearInterval(sampler);
  if (!preview.ok) throw new Error(preview.error);
  log(
    `preview: ${secs(previewMs)} s; ${preview.create.invited + preview.create.pending} to create, ${preview.errorCount} errors`,
  );
  log(
    `memory growth during the preview: RSS +${mb(peakRss - base.rss)} MB, heap +${mb(peakHeap - base.heapUsed)} MB (baseline RSS ${mb(base.rss)} MB)`,
  );

  // The apply: the confirm (re-plan under the seat lock; above IMPORT_JOB_ROWS it starts a job),
  // then the job's batches, run here one after another as the runner would. Each of the apply and
  // the floor starts right after a checkpoint: a timed one falling inside either (every 5 min by
  // default) made it 20–40 % slower, at random.
  await h.db.execute(sql`checkpoint`);
  t = performance.now();
  const applied = await applyImport(h.db, {
    actor,
    importId: preview.importId,
    seatLimit: 10_000_000,
    baseUrl: "http://roster.test",
  });
  if (!applied.ok) throw new Error(applied.error);
  const confirmMs = performance.now() - t;
  let batches = 0;
  if (applied.job) {
    const jobId = applied.job.id;
    while (
      (await runNewUsersBatch(h.db, jobId, {
        seatLimit: async () => 10_000_000,
        batchSize: BATCH,
      })) === "more"
    )
      batches++;
    batches++;
  }
  const applyMs = performance.now() - t;
  const [made] = await queryRows<{ users: number; invitations: number; audit: number }>(
    h.db,
    sql`select (select count(*)::int from users where email like 'person.a.%') as users,
          (select count(*)::int from invitations) as invitations,
          (select count(*)::int from audit_events where action = 'import-csv') as audit`,
  );
  log(
    `apply: ${secs(applyMs)} s (confirm ${secs(confirmMs)} s, then ${batches} batches of ${BATCH ?? "adaptive size"}): ${made?.users} users, ${made?.invitations} invitations with their emails, ${made?.audit} audit events`,
  );

  // The floor: the same kind of file, fresh addresses, COPY then INSERT … SELECT, one transaction.
  writeFile(file, "b");
  const client = new pg.Client({ connectionString: scratch.url });
  await client.connect();
  await client.query("checkpoint");
  t = performance.now();
  await client.query("begin");
  await client.query(
    "create temporary table floor_rows (email text, name text, role text, status text) on commit drop",
  );
  await pipeline(
    createReadStream(file),
    client.query(
      copyFrom(
        "copy floor_rows from stdin with (format csv, header true, delimiter ';', encoding 'UTF8')",
      ),
    ),
  );
  const copyMs = performance.now() - t;
  const inserted = await client.query(
    `insert into users (name, email, role, status, created_at)
     select name, email, role::user_role, status::user_status, now() from floor_rows`,
  );
  await client.query("commit");
  const floorMs = performance.now() - t;
  await client.end();
  log(
    `floor: ${secs(floorMs)} s (COPY ${secs(copyMs)} s, INSERT … SELECT of ${inserted.rowCount} users ${secs(floorMs - copyMs)} s)`,
  );
  log(
    `apply / floor: ${(applyMs / floorMs).toFixed(2)}×; preview + apply / floor: ${((previewMs + applyMs) / floorMs).toFixed(2)}×`,
  );
  log(`load ${loadAverage()}`);
} finally {
  await h.close();
  await scratch.drop();
}
