import { sql } from "drizzle-orm";
import pg from "pg";
import { openDatabase, queryRows } from "@/db/client";
import { applyLifecycleAction } from "@/lib/lifecycle/apply";
import { runLifecycleBatch } from "@/lib/lifecycle/job";
import type { Verb } from "@/lib/users/lifecycle";
import { eligibleNewOwners } from "@/lib/users/ownership";
import { parseInput } from "@/lib/users/testing/fixtures";
import type { Person } from "@/model/permissions";

/**
 * `DATABASE_URL=postgres://… npx tsx bench/profile-batch.ts [action] [before-date] [batches]`:
 * where a job's batch spends its time. Starts a job (archive with transfer by default) over the
 * Active tab's users last signed in before the date, runs a few batches, and prints each
 * statement of the last one with its duration. CHANGES the database: use a throwaway one.
 */
const url = process.env.DATABASE_URL;
if (!url) {
  console.error("profile-batch: set DATABASE_URL to a throwaway PostgreSQL database");
  process.exit(1);
}
const [action = "archive", before = "2025-01-01", batchesArg = "3"] = process.argv.slice(2) as [
  Verb?,
  string?,
  string?,
];

type Timed = { text: string; ms: number };
let timings: Timed[] = [];
let inBatch = false;
const original = pg.Client.prototype.query;
// Times every statement sent (the pool's clients all use this prototype).
/** EXPLAIN=<regexp>: statements of a batch that match it are first run as EXPLAIN ANALYZE, rolled back. */
const explainPattern = process.env.EXPLAIN ? new RegExp(process.env.EXPLAIN) : null;
let explaining = false;
pg.Client.prototype.query = function timed(this: pg.Client, ...args: unknown[]): unknown {
  const text = typeof args[0] === "string" ? args[0] : ((args[0] as { text?: string })?.text ?? "");
  if (explainPattern && inBatch && !explaining && explainPattern.test(text)) {
    const values = (args[0] as { values?: unknown[] })?.values ?? (args[1] as unknown[]);
    const run = (q: string, v?: unknown[]) =>
      (original as (...a: unknown[]) => Promise<{ rows: Record<string, string>[] }>).call(
        this,
        q,
        v,
      );
    explaining = true;
    return (async (): Promise<unknown> => {
      await run("savepoint profile_explain");
      const plan = await run(`explain (analyze, buffers) ${text}`, values);
      await run("rollback to savepoint profile_explain");
      console.log(`\n--- ${text.replace(/\s+/g, " ").slice(0, 200)}`);
      for (const row of plan.rows) console.log(row["QUERY PLAN"]);
      const result = await timed.apply(this, args);
      explaining = false;
      return result;
    })();
  }
  const t0 = performance.now();
  const result = (original as (...a: unknown[]) => unknown).apply(this, args);
  if (result && typeof (result as Promise<unknown>).then === "function") {
    return (result as Promise<unknown>).then((r) => {
      timings.push({ text, ms: performance.now() - t0 });
      return r;
    });
  }
  return result;
} as typeof original;

const handle = await openDatabase({ url, poolSize: 4 });
const db = handle.db;
const [admin] = await queryRows<Person>(
  db,
  sql`select id, role from users where email = 'admin@roster.test'`,
);
if (!admin) throw new Error("seed with --demo");
const [newOwner] = await eligibleNewOwners(db, { query: "owner@roster.test" });
const started = await applyLifecycleAction(db, {
  actor: admin,
  action,
  input: parseInput(action, {
    selection: {
      kind: "filter",
      filter: {
        tab: "active",
        q: "",
        roles: [],
        neverSignedIn: false,
        lastSignInBefore: before,
        accessEnding: false,
      },
      excludeIds: [],
    },
    ...(action === "archive" || action === "delete" ? { newOwnerId: newOwner?.id } : {}),
  }),
  seatLimit: 1e7,
});
if (!started.ok || !started.job)
  throw new Error(`no job: ${JSON.stringify(started).slice(0, 300)}`);
console.log(`job ${started.job.id}: ${started.job.total} users; the confirm (freeze):`);
for (const t of timings) {
  console.log(`${t.ms.toFixed(1).padStart(8)} ms  ${t.text.replace(/\s+/g, " ").slice(0, 150)}`);
}
for (let i = 0; i < Number(batchesArg); i++) {
  timings = [];
  const t0 = performance.now();
  inBatch = true;
  const next = await runLifecycleBatch(db, started.job.id);
  inBatch = false;
  const total = performance.now() - t0;
  console.log(`\nbatch ${i + 1}: ${Math.round(total)} ms, ${timings.length} statements`);
  for (const t of timings) {
    console.log(`${t.ms.toFixed(1).padStart(8)} ms  ${t.text.replace(/\s+/g, " ").slice(0, 150)}`);
  }
  if (next === "finished") break;
}
await db.execute(
  sql`update jobs set cancel_requested_at = now() where id = ${started.job.id}::uuid`,
);
await runLifecycleBatch(db, started.job.id);
await handle.close();
