/**
 * Issue 17 §4: the dormant-user policy at 1M users on PostgreSQL. Its preview (who it would
 * deactivate and warn now), timed over rounds; then a run of about 100,000 users as the policy's
 * job (batches of 1,000 through the pipeline) against the bare-SQL floor: one transaction that
 * deactivates the same users and writes their audit events, rolled back, measured just before.
 * Prints figures, never asserts. On a throwaway database of TEST_DATABASE_URL's server (seeded
 * with 1M users, dropped at the end).
 *
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test nice \
 *     npx tsx bench/dormant-policy.ts [--users 1000000] [--dormant 100000] [--rounds 7] \
 *     [--template roster_bench_dormant_tpl] [--retention]
 *
 * With --template, the seeded workspace is kept in that database (seeded on the first run) and
 * each run works on a fresh copy of it: runs side by side then cost a copy, not a seed. Drop it
 * when done (`dropdb`).
 */
import os from "node:os";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import pg from "pg";
import { openDatabase, queryRows } from "@/db/client";
import { seedLargeWorkspace } from "@/db/seed-large";
import { seedDemo } from "@/lib/demo";
import { countPolicy, DAY_MS, enqueuePolicyRun, policyJobHandler } from "@/lib/policies/define";
import { DORMANT, type DormantPolicy, previewDormant } from "@/lib/policies/dormant";
import { RETENTION } from "@/lib/policies/retention";
import { loadAverage, throwawayDatabase } from "./fixtures";

const { values } = parseArgs({
  options: {
    users: { type: "string", default: "1000000" },
    dormant: { type: "string", default: "100000" },
    rounds: { type: "string", default: "7" },
    template: { type: "string" },
    /** Time the retention policy's preview (issue 17 §6) instead, over the same workspace. */
    retention: { type: "boolean", default: false },
  },
});
const USERS = Number(values.users);
const DORMANT_USERS = Number(values.dormant);
const ROUNDS = Number(values.rounds);
const cpu = os.cpus();
const log = (line: string) => console.log(line);
log(`dormant-policy — ${new Date().toISOString()}, ${cpu.length} × ${cpu[0]?.model.trim()}`);
log(`load ${loadAverage()}`);

const server = process.env.TEST_DATABASE_URL;
if (!server) throw new Error("dormant-policy: set TEST_DATABASE_URL");
const ms = (t: number) => (performance.now() - t).toFixed(0);

async function seed(url: string) {
  const s = await openDatabase({ url });
  try {
    await s.migrate();
    const t = performance.now();
    await seedDemo(s.db);
    await seedLargeWorkspace(s.db, { users: USERS });
    log(`seeded ${USERS.toLocaleString("en-US")} users in ${(Number(ms(t)) / 1000).toFixed(1)} s`);
    await s.db.execute(sql`analyze`);
  } finally {
    await s.close();
  }
}

const scratch = await throwawayDatabase(server, "roster_bench_dormant");
if (values.template) {
  const tpl = values.template;
  if (!/^[a-z_][a-z0-9_]*$/.test(tpl)) throw new Error("dormant-policy: a plain database name");
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    const found = await admin.query("select 1 from pg_database where datname = $1", [tpl]);
    if (found.rowCount === 0) {
      const url = new URL(server);
      url.pathname = `/${tpl}`;
      await admin.query(`create database ${tpl}`);
      await seed(url.toString());
    }
    const t = performance.now();
    await admin.query("drop database roster_bench_dormant with (force)");
    await admin.query(`create database roster_bench_dormant template ${tpl}`);
    log(`copied ${tpl} in ${(Number(ms(t)) / 1000).toFixed(1)} s`);
  } finally {
    await admin.end();
  }
} else {
  await seed(scratch.url);
}
const h = await openDatabase({ url: scratch.url });
try {
  let t = performance.now();

  if (values.retention) {
    // The days that make half the archived users due for deletion.
    const [mid] = await queryRows<{ at: string | Date; n: number }>(
      h.db,
      sql`select status_changed_at as at, (select count(*)::int from users where status = 'archived') as n
          from users where status = 'archived' order by status_changed_at
          offset (select count(*) / 2 from users where status = 'archived') limit 1`,
    );
    if (!mid) throw new Error("dormant-policy: no archived users");
    const now = new Date();
    const days = Math.max(1, Math.floor((now.getTime() - new Date(mid.at).getTime()) / DAY_MS));
    const times: number[] = [];
    let count = 0;
    for (let r = 0; r < ROUNDS; r++) {
      t = performance.now();
      count = await countPolicy(h.db, RETENTION, { now, policy: { enabled: true, days } });
      times.push(performance.now() - t);
    }
    const sorted = [...times].sort((a, b) => a - b);
    log(
      `retention preview (${days} days; ${mid.n.toLocaleString("en-US")} archived): ${count.toLocaleString("en-US")} to delete; ms (${ROUNDS} rounds): median ${sorted[Math.floor(ROUNDS / 2)]?.toFixed(0)}, min ${sorted[0]?.toFixed(0)}, max ${sorted.at(-1)?.toFixed(0)}`,
    );
    log(`load ${loadAverage()}`);
  } else {
    // The days that make about DORMANT_USERS active or invited users dormant in this seed.
    const [edge] = await queryRows<{ idle: string | Date }>(
      h.db,
      sql`select coalesce(last_sign_in_at, status_changed_at, created_at) as idle from users
        where status in ('active', 'invited') and role <> 'owner'
        order by 1 offset ${DORMANT_USERS} limit 1`,
    );
    if (!edge) throw new Error("dormant-policy: too few users");
    const now = new Date();
    const days = Math.max(1, Math.floor((now.getTime() - new Date(edge.idle).getTime()) / DAY_MS));
    const policy: DormantPolicy = {
      enabled: true,
      days,
      warnDays: 7,
      excludeRoles: ["admin"],
      exemptDays: 30,
    };
    log(`policy: ${DORMANT.describe(policy)}`);

    const times: number[] = [];
    let counted = { count: 0, warnCount: 0 };
    for (let r = 0; r < ROUNDS; r++) {
      t = performance.now();
      counted = await previewDormant(h.db, { now, policy });
      times.push(performance.now() - t);
    }
    const sorted = [...times].sort((a, b) => a - b);
    log(
      `preview: ${counted.count.toLocaleString("en-US")} to deactivate, ${counted.warnCount.toLocaleString("en-US")} to warn; ms (${ROUNDS} rounds): median ${sorted[Math.floor(ROUNDS / 2)]?.toFixed(0)}, min ${sorted[0]?.toFixed(0)}, max ${sorted.at(-1)?.toFixed(0)}`,
    );
    log(`load ${loadAverage()}`);

    // The floor: the same users deactivated with their audit events in one bare transaction.
    const where = DORMANT.where(DORMANT.freeze(policy, now));
    t = performance.now();
    await h.db
      .transaction(async (tx) => {
        await tx.execute(sql`
        with t as (select id, status from users where ${where} order by id for update),
        u as (
          update users set previous_status = t.status, status = 'inactive',
            status_changed_at = now(), session_version = session_version + 1
          from t where users.id = t.id
          returning users.id, t.status as from_status)
        insert into audit_events (at, actor_id, action, target_id, from_status, to_status)
        select now(), null, 'deactivate', u.id, u.from_status, 'inactive' from u order by u.id`);
        throw new Error("rollback");
      })
      .catch((error: unknown) => {
        if (!(error instanceof Error) || error.message !== "rollback") throw error;
      });
    const floor = performance.now() - t;
    log(`floor (one bare transaction, rolled back): ${floor.toFixed(0)} ms`);

    // The policy's run: the job's batches back to back, as the runner would.
    const queued = await h.db.transaction((tx) =>
      enqueuePolicyRun(tx, DORMANT, { policy, now, startedBy: null }),
    );
    if (!queued.ok) throw new Error(queued.error);
    const handler = policyJobHandler(DORMANT, "http://bench");
    t = performance.now();
    let batches = 0;
    for (;;) {
      const [job] = await queryRows<{ id: string; params: unknown }>(
        h.db,
        sql`select id, params from jobs where id = ${queued.jobId}::uuid`,
      );
      if (!job) throw new Error("dormant-policy: the job is gone");
      batches++;
      if ((await handler(h.db, job)) === "finished") break;
    }
    const run = performance.now() - t;
    const [done] = await queryRows<{ done: number }>(
      h.db,
      sql`select done from jobs where id = ${queued.jobId}::uuid`,
    );
    log(
      `run: ${Number(done?.done ?? 0).toLocaleString("en-US")} deactivated in ${batches} batches, ${run.toFixed(0)} ms = ${(run / floor).toFixed(2)} × the floor`,
    );
    log(`load ${loadAverage()}`);
  }
} finally {
  await h.close();
  await scratch.drop();
}
