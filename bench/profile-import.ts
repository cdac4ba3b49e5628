/**
 * Where an import job's batch spends its time on PostgreSQL (issue 16): previews and confirms an
 * import of `--rows` rows (half invited), runs its job's batches of `--batch` rows one after
 * another, and prints each kind of statement's total time over all batches (the first words of
 * the statement name it). Then, in rolled-back transactions, the cost per 1,000 rows of each
 * table's insert alone: users, audit events with their triggers, audit events without the chain
 * trigger, invitations, outbox.
 *
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test nice flock /tmp/roster-heavy.lock \
 *     npx tsx bench/profile-import.ts [--rows 20000] [--batch N] [--db roster_profile_import]
 */
import { Readable } from "node:stream";
import { parseArgs } from "node:util";
import pg from "pg";
import { openDatabase } from "@/db/client";
import { seedDemo } from "@/lib/demo";
import { applyImport, previewImport } from "@/lib/users/import-users";
import { runNewUsersBatch } from "@/lib/users/new-users-job";
import { demoAdmin, loadAverage, throwawayDatabase } from "./fixtures";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "20000" },
    /** A fixed batch size; without it, the job's own (adaptive). */
    batch: { type: "string" },
    db: { type: "string", default: "roster_profile_import" },
  },
});
const ROWS = Number(values.rows);
const BATCH = values.batch === undefined ? undefined : Number(values.batch);
const server = process.env.TEST_DATABASE_URL;
if (!server) throw new Error("profile-import: set TEST_DATABASE_URL");

const totals = new Map<string, { ms: number; n: number }>();
let timing = false;
/** The creating statement's time in each batch, in order. */
const perBatch: number[] = [];
/** EXPLAIN=<regexp>: the first timed statement of each kind matching it is first run as EXPLAIN ANALYZE, rolled back. */
const explainPattern = process.env.EXPLAIN ? new RegExp(process.env.EXPLAIN) : null;
const explained = new Set<string>();
/** EXPLAIN_SKIP=<n>: explain the (n+1)th statement of each kind instead (a later batch). */
const explainSkip = new Map<string, number>();
const original = pg.Client.prototype.query;
pg.Client.prototype.query = function timed(this: pg.Client, ...args: unknown[]): unknown {
  const text = typeof args[0] === "string" ? args[0] : ((args[0] as { text?: string })?.text ?? "");
  const kind = text.slice(0, 40);
  const seen = explainSkip.get(kind) ?? 0;
  if (explainPattern?.test(text) && timing) explainSkip.set(kind, seen + 1);
  if (
    timing &&
    explainPattern &&
    !explained.has(kind) &&
    explainPattern.test(text) &&
    seen >= Number(process.env.EXPLAIN_SKIP ?? 0)
  ) {
    explained.add(kind);
    const values = (args[0] as { values?: unknown[] })?.values ?? (args[1] as unknown[]);
    const run = (q: string, v?: unknown[]) =>
      (original as (...a: unknown[]) => Promise<{ rows: Record<string, string>[] }>).call(
        this,
        q,
        v,
      );
    return (async (): Promise<unknown> => {
      await run("savepoint profile_explain");
      const plan = await run(`explain (analyze, buffers) ${text}`, values);
      await run("rollback to savepoint profile_explain");
      console.log(`--- ${text.replace(/\s+/g, " ").slice(0, 120)}`);
      for (const row of plan.rows) console.log(row["QUERY PLAN"]);
      return timed.apply(this, args);
    })();
  }
  const t0 = performance.now();
  const result = (original as (...a: unknown[]) => unknown).apply(this, args);
  if (!timing || !result || typeof (result as Promise<unknown>).then !== "function") return result;
  const key = text.replace(/\s+/g, " ").trim().slice(0, 70);
  return (result as Promise<unknown>).then((r) => {
    if (key.startsWith("with x")) perBatch.push(performance.now() - t0);
    const t = totals.get(key) ?? { ms: 0, n: 0 };
    t.ms += performance.now() - t0;
    t.n += 1;
    totals.set(key, t);
    return r;
  });
} as typeof original;

/** Prints each kind of statement's total time since the last report, and forgets them. */
function report(): number {
  const sorted = [...totals.entries()].sort((a, b) => b[1].ms - a[1].ms);
  let sum = 0;
  for (const [key, { ms, n }] of sorted) {
    sum += ms;
    console.log(`${ms.toFixed(0).padStart(7)} ms ${String(n).padStart(4)}×  ${key}`);
  }
  totals.clear();
  return sum;
}

console.log(`profile-import — ${new Date().toISOString()}, load ${loadAverage()}`);
const scratch = await throwawayDatabase(server, values.db as string);
const h = await openDatabase({ url: scratch.url, poolSize: 2 });
try {
  await h.migrate();
  await seedDemo(h.db);
  const actor = await demoAdmin(h.db);
  const lines = ["Email;Name;Role;Status"];
  for (let i = 0; i < ROWS; i++) {
    lines.push(`p.${i}@bench.test;"Person ${i}";member;${i % 2 ? "invited" : "pending"}`);
  }
  const preview = await previewImport(h.db, {
    actor,
    fileName: "p.csv",
    source: Readable.from([`${lines.join("\n")}\n`]),
    seatLimit: 10_000_000,
  });
  if (!preview.ok) throw new Error(preview.error);
  timing = true;
  const c0 = performance.now();
  const applied = await applyImport(h.db, {
    actor,
    importId: preview.importId,
    seatLimit: 10_000_000,
    baseUrl: "http://roster.test",
  });
  if (!applied.ok || !applied.job) throw new Error("no job");
  console.log(`confirm: ${(performance.now() - c0).toFixed(0)} ms`);
  report();
  const t = performance.now();
  let batches = 0;
  let state: "more" | "finished" = "more";
  while (state === "more") {
    state = await runNewUsersBatch(h.db, applied.job.id, {
      seatLimit: async () => 10_000_000,
      batchSize: BATCH,
    });
    batches++;
  }
  const all = performance.now() - t;
  timing = false;
  console.log(
    `the users + audit events statement of each batch (ms): ${perBatch.map((ms) => ms.toFixed(0)).join(" ")}`,
  );
  console.log(
    `${batches} batches of ${BATCH ?? "adaptive size"}: ${all.toFixed(0)} ms (load ${loadAverage()})`,
  );
  const sum = report();
  console.log(
    `${sum.toFixed(0).padStart(7)} ms in statements; ${(all - sum).toFixed(0)} ms in Node`,
  );

  // Each table's insert alone, per 1,000 rows, in rolled-back transactions.
  const client = new pg.Client({ connectionString: scratch.url });
  await client.connect();
  const n = 10_000;
  const each = async (label: string, setup: string[], statement: string) => {
    const times: number[] = [];
    for (let round = 0; round < 3; round++) {
      await client.query("begin");
      for (const s of setup) await client.query(s);
      const t0 = performance.now();
      await client.query(statement);
      times.push(performance.now() - t0);
      await client.query("rollback");
    }
    times.sort((a, b) => a - b);
    console.log(
      `${label}: ${((times[1] as number) / (n / 1000)).toFixed(1)} ms per 1,000 (median of 3)`,
    );
  };
  const users = `create temporary table u on commit drop as
    select gen_random_uuid() as id from generate_series(1, ${n})`;
  await each(
    "users",
    [],
    `insert into users (name, email, role, status, created_at)
     select 'P ' || i, 'x.' || i || '@b.test', 'member', 'pending', now() from generate_series(1, ${n}) i`,
  );
  const audit = `insert into audit_events (at, actor_id, action, target_id, to_status, job_id)
     select now(), '${actor.id}', 'import-csv', u.id, 'invited', null from u`;
  await each("audit events, all triggers", [users], audit);
  await each(
    "audit events, no chain trigger",
    [users, `alter table audit_events disable trigger zz_audit_events_chain`],
    audit,
  );
  await each(
    "audit events, no triggers",
    [users, `alter table audit_events disable trigger user`],
    audit,
  );
  await client.end();
} finally {
  await h.close();
  await scratch.drop();
}
