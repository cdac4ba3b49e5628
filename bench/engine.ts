import { randomUUID } from "node:crypto";
import os from "node:os";
import { sql } from "drizzle-orm";
import { type Db, openDatabase, queryRows } from "@/db/client";
import { applyLifecycleAction, previewLifecycleAction } from "@/lib/lifecycle/apply";
import { jobThreshold } from "@/lib/lifecycle/config";
import { runLifecycleBatch } from "@/lib/lifecycle/job";
import type { Verb } from "@/lib/users/lifecycle";
import { eligibleNewOwners } from "@/lib/users/ownership";
import { type ActionInput, parseInput } from "@/lib/users/testing/fixtures";
import type { UsersFilter } from "@/lib/users/view";
import type { Person } from "@/model/permissions";
import { loadAverage } from "./fixtures";

/**
 * `DATABASE_URL=postgres://… npx tsx bench/engine.ts [--phases=preview,owners,job,deactivate,transfer] [--transfer-tab=inactive|active] [--bands=8]`:
 * the Targets of issue 7 on a seeded workspace (npm run db:seed -- --reset --demo --users 1000000).
 * CHANGES the database (archives and deactivates hundreds of thousands of users): use a
 * throwaway one. Phases run in the order listed above, each one alone if asked (so that each
 * hold of the bench lock stays short); "transfer" archives the whole Inactive tab with its
 * owners' records (run it after "deactivate", when that tab holds 150,000 owners or more), or
 * with `--transfer-tab=active` the whole Active tab (on a fresh seed: 159,199 owners).
 */

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("engine bench: set DATABASE_URL to a throwaway PostgreSQL database");
  process.exit(1);
}
const PHASES = ["preview", "owners", "job", "deactivate", "transfer"] as const;
const phasesArg = process.argv.find((a) => a.startsWith("--phases="))?.slice("--phases=".length);
const phases = new Set(phasesArg ? phasesArg.split(",") : PHASES.filter((p) => p !== "transfer"));
// Bands of 1/N of the signed-in users for the job phase (8 at 1M: ~90,000 each; 80 at 10M).
const bandsPerTable = Number(
  process.argv.find((a) => a.startsWith("--bands="))?.slice("--bands=".length) ?? 8,
);
if (!Number.isInteger(bandsPerTable) || bandsPerTable < 6) {
  console.error("engine bench: --bands is a whole number ≥ 6 (the job phase uses five bands)");
  process.exit(1);
}
const transferTab =
  process.argv.find((a) => a.startsWith("--transfer-tab="))?.slice(15) ?? "inactive";
if (transferTab !== "inactive" && transferTab !== "active") {
  console.error(`engine bench: --transfer-tab is "inactive" or "active", not "${transferTab}"`);
  process.exit(1);
}
for (const p of phases) {
  if (!(PHASES as readonly string[]).includes(p)) {
    console.error(`engine bench: unknown phase "${p}" (one of ${PHASES.join(", ")})`);
    process.exit(1);
  }
}
const handle = await openDatabase({ url, poolSize: 10 });
await handle.migrate();
const db: Db = handle.db;

const load = loadAverage;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const ms = (n: number) => `${Math.round(n)} ms`;
/** Where the server's write-ahead log is: the difference of two is the WAL a phase wrote. */
async function walLsn(): Promise<string> {
  const [row] = await queryRows<{ lsn: string }>(db, sql`select pg_current_wal_lsn()::text as lsn`);
  return row?.lsn ?? "0/0";
}
async function walSince(from: string): Promise<string> {
  const [row] = await queryRows<{ mb: number }>(
    db,
    sql`select round(pg_wal_lsn_diff(pg_current_wal_lsn(), ${from}::pg_lsn) / 1048576.0)::int as mb`,
  );
  return `${row?.mb ?? "?"} MB WAL`;
}

/**
 * Runs a job's batches back to back to the end: how many, and the longest gap between two
 * progress updates. `from` (the phase's start) logs every 100 batches; `onBatch` runs after each.
 */
async function runToEnd(jobId: string, opts: { from?: number; onBatch?: () => void } = {}) {
  let maxGap = 0;
  let last = performance.now();
  let batches = 0;
  for (;;) {
    const next = await runLifecycleBatch(db, jobId);
    batches++;
    if (opts.from !== undefined && batches % 100 === 0) {
      log(`  … ${batches} batches, ${ms(performance.now() - opts.from)}`);
    }
    opts.onBatch?.();
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
    if (next === "finished") return { batches, maxGap };
  }
}
function log(line: string) {
  console.log(`${line}   [load ${load()}]`);
}

async function person(email: string): Promise<Person> {
  const [row] = await queryRows<Person>(db, sql`select id, role from users where email = ${email}`);
  if (!row) throw new Error(`no ${email}: seed with --demo`);
  return row;
}
const admin = await person("admin@roster.test");
const owner = await person("owner@roster.test");
const ACTIVE: UsersFilter = {
  tab: "active",
  q: "",
  roles: [],
  neverSignedIn: false,
  lastSignInBefore: null,
  accessEnding: false,
};
const seatLimit = 10_000_000;

/** Options are empty for every action timed here: the action only picks the schema. */
function input(raw: ActionInput) {
  return parseInput("archive", raw);
}

console.log(`engine bench on ${url.replace(/\/\/[^@]*@/, "//")} — ${new Date().toISOString()}`);
console.log(
  `${os.cpus().length} cores (${os.cpus()[0]?.model}), node ${process.version}, job threshold ${jobThreshold()}`,
);
const [counts] = await queryRows<Record<string, number>>(
  db,
  sql`select count(*) filter (where status in ('active','invited'))::int as active_tab, count(*)::int as users from users`,
);
log(`users ${counts?.users}, Active tab ${counts?.active_tab}`);

// 1. Preview of the whole Active tab.
for (const action of (phases.has("preview") ? ["deactivate", "archive"] : []) as Verb[]) {
  const times: number[] = [];
  let size = 0;
  let growth = 0;
  let owners = 0;
  for (let i = 0; i < 4; i++) {
    global.gc?.();
    const rss = process.memoryUsage().rss;
    const t0 = performance.now();
    const preview = await previewLifecycleAction(db, {
      actor: admin,
      action,
      selection: input({ selection: { kind: "filter", filter: ACTIVE, excludeIds: [] } }).selection,
      limit: 50,
      seatLimit,
    });
    times.push(performance.now() - t0);
    growth = Math.max(growth, process.memoryUsage().rss - rss);
    size = Buffer.byteLength(JSON.stringify(preview));
    if (preview.ok) owners = preview.ownershipTotals?.owners ?? 0;
    if (i === 0 && preview.ok) {
      log(
        `preview ${action} whole Active: will change ${preview.willChangeCount}, skipped ${JSON.stringify(preview.skippedByReason)}, owners ${owners}`,
      );
    }
  }
  const sorted = times.slice(1).sort((a, b) => a - b);
  log(
    `preview ${action} whole Active: ${sorted.map(ms).join(", ")} (first ${ms(times[0] ?? 0)}), median ${ms(sorted[1] ?? 0)}; RSS growth max ${mb(growth)}; response ${(size / 1024).toFixed(1)} KB`,
  );
}

// 2. Transfer dialog with ≥150,000 owners: the owner search excludes the selection on the server.
if (phases.has("owners")) {
  const t0 = performance.now();
  const found = await eligibleNewOwners(db, {
    query: "",
    selection: {
      selection: input({ selection: { kind: "filter", filter: ACTIVE, excludeIds: [] } }).selection,
      actor: admin,
      action: "archive",
    },
  });
  log(
    `owner search excluding the whole Active tab: ${found.length} eligible (first: ${found[0]?.email ?? "none"}) in ${ms(performance.now() - t0)}`,
  );
}

// 3. Archive with transfer of ~90,000 users: the bare-SQL floor and the job, ABBA. Bands of an
// eighth (--bands=8; 1/N) of the users who signed in: the job on those last signed in before q1, the floor on
// [q1, q2) and [q2, q3), the job again before q4 (the earlier bands are archived by then: it
// takes [q3, q4)). Each job is compared with the floor next to it, per user; the order cancels a
// drift of the machine (checkpoints, caches, the tables' dead rows) over the run. Another
// admin's single actions pick users signed in from q5 on.
const [bands] = await queryRows<{
  q1: string;
  q2: string;
  q3: string;
  q4: string;
  q5: string;
}>(
  db,
  sql`select ${sql.join(
    [1, 2, 3, 4, 5].map(
      (q) =>
        sql`to_char(percentile_disc(${q / bandsPerTable}::float8) within group (order by last_sign_in_at), 'YYYY-MM-DD') as ${sql.raw(`q${q}`)}`,
    ),
    sql`, `,
  )}
      from users where status in ('active', 'invited') and last_sign_in_at is not null`,
);
if (!bands) throw new Error("no bands");
const [newOwner] = await eligibleNewOwners(db, { query: "admin@roster.test" });
if (!newOwner) throw new Error("no new owner");

/** The floor: the same work as the job, as ONE transaction of bare SQL on the band [from, to). */
async function floor(from: string, to: string, newOwnerId: string) {
  const band = sql`status in ('active', 'invited') and role not in ('owner', 'admin') and last_sign_in_at >= ${from}::date and last_sign_in_at < ${to}::date`;
  const changeId = randomUUID();
  const wal = await walLsn();
  const t0 = performance.now();
  // Each statement of the floor, timed: the audit insert's share shows the chain trigger's cost.
  const steps: string[] = [];
  const n = await db.transaction(async (tx) => {
    let s0 = performance.now();
    const step = (name: string) => {
      steps.push(`${name} ${ms(performance.now() - s0)}`);
      s0 = performance.now();
    };
    await tx.execute(
      sql`create temp table floor_ids on commit drop as select id, status from users where ${band} order by id for update`,
    );
    await tx.execute(sql`analyze floor_ids`);
    step("lock");
    await tx.execute(sql`insert into audit_events (at, actor_id, action, target_id, from_status, to_status, records_moved)
      select now(), ${admin.id}::uuid, 'archive', f.id, f.status, 'archived',
        case when (select count(*) from projects p where p.owner_id = f.id) + (select count(*) from automations a where a.owner_id = f.id) > 0
          then jsonb_build_object('newOwnerId', ${newOwnerId}::text) end
      from floor_ids f`);
    step("audit");
    // The records move and each one's previous owner is remembered (Undo gives them back):
    // the job does both, so the floor does too.
    for (const table of ["projects", "automations"] as const) {
      await tx.execute(sql`
        with moved as (
          update ${sql.identifier(table)} r set owner_id = ${newOwnerId}::uuid
          from floor_ids f where r.owner_id = f.id
          returning r.id, f.id as from_owner)
        insert into record_transfers (change_id, action, kind, record_id, from_owner_id, to_owner_id, at)
        select ${changeId}::uuid, 'archive', ${table === "projects" ? "project" : "automation"}, moved.id,
          moved.from_owner, ${newOwnerId}::uuid, now()
        from moved`);
    }
    step("records");
    await tx.execute(
      sql`update invitations set expires_at = now() where used_at is null and expires_at > now() and user_id in (select id from floor_ids)`,
    );
    const [r] = await queryRows<{ n: number }>(
      tx,
      sql`with u as (update users set previous_status = users.status, status = 'archived', status_changed_at = now(),
            status_changed_by = ${admin.id}::uuid, session_version = session_version + 1
          from floor_ids f where users.id = f.id returning 1) select count(*)::int as n from u`,
    );
    step("invitations+users");
    return Number(r?.n ?? 0);
  });
  const floorMs = performance.now() - t0;
  log(
    `floor: bare-SQL archive with transfer of ${n} users (last sign-in in [${from}, ${to})) in one transaction: ${ms(floorMs)} (${steps.join(", ")}), ${await walSince(wal)}; ${((floorMs / n) * 1000).toFixed(0)} µs/user`,
  );
  return { ms: floorMs, users: n };
}

/** The job: confirm (count, checks, freeze) and every batch, while another admin acts alone. */
async function job(before: string, newOwnerId: string) {
  const filter = { ...ACTIVE, lastSignInBefore: before, accessEnding: false };
  const wal = await walLsn();
  const t0 = performance.now();
  const started = await applyLifecycleAction(db, {
    actor: admin,
    action: "archive",
    input: input({
      selection: { kind: "filter", filter, excludeIds: [] },
      newOwnerId,
    }),
    seatLimit,
  });
  if (!started.ok || !started.job) throw new Error(`no job: ${JSON.stringify(started)}`);
  const freezeMs = performance.now() - t0;
  const singles: number[] = [];
  let running = true;
  const other = (async () => {
    // Another admin's single-user actions while the job runs.
    while (running) {
      const [target] = await queryRows<{ id: string; status: "active" }>(
        db,
        sql`select id, status from users where status = 'active' and role = 'member'
            and (last_sign_in_at is null or last_sign_in_at >= ${bands?.q5}::date)
            order by random() limit 1`,
      );
      if (!target) break;
      const s0 = performance.now();
      const r = await applyLifecycleAction(db, {
        actor: owner,
        action: "deactivate",
        input: input({
          selection: { kind: "ids", targets: [{ id: target.id, expectedStatus: "active" }] },
        }),
        seatLimit,
      });
      singles.push(performance.now() - s0);
      if (!r.ok || r.done !== 1) throw new Error(`single action: ${JSON.stringify(r)}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  })();
  const { batches, maxGap } = await runToEnd(started.job.id);
  running = false;
  await other;
  const totalMs = performance.now() - t0;
  const [row] = await queryRows<Record<string, unknown>>(
    db,
    sql`select status, total, done, skipped, skipped_by_reason from jobs where id = ${started.job.id}::uuid`,
  );
  const users = Number(started.job.total);
  log(
    `job: archive with transfer of ${users} users (filter last sign-in before ${before}): confirm+freeze ${ms(freezeMs)}, ${batches} batches in ${ms(totalMs - freezeMs)} → ${JSON.stringify(row)}; ${((totalMs / users) * 1000).toFixed(0)} µs/user; longest gap between progress updates ${ms(maxGap)}; ${await walSince(wal)}`,
  );
  singles.sort((a, b) => a - b);
  log(
    `single-user deactivate by another admin during the job: ${singles.length} calls, median ${ms(singles[Math.floor(singles.length / 2)] ?? 0)}, max ${ms(singles[singles.length - 1] ?? 0)}`,
  );
  return { ms: totalMs, users };
}

if (phases.has("job")) {
  const job1 = await job(bands.q1, newOwner.id);
  const floor1 = await floor(bands.q1, bands.q2, newOwner.id);
  const floor2 = await floor(bands.q2, bands.q3, newOwner.id);
  const job2 = await job(bands.q4, newOwner.id);
  const perUser = (r: { ms: number; users: number }) => r.ms / r.users;
  const ratio = (j: typeof job1, f: typeof floor1) => (perUser(j) / perUser(f)).toFixed(2);
  log(
    `job / floor per user, ABBA: job 1 / floor 1 = ${ratio(job1, floor1)}, job 2 / floor 2 = ${ratio(job2, floor2)}; both jobs / both floors = ${((job1.ms + job2.ms) / (job1.users + job2.users) / ((floor1.ms + floor2.ms) / (floor1.users + floor2.users))).toFixed(2)}`,
  );
}

// 4. Deactivate the whole Active tab, as a job: memory bounded, counts right afterwards.
if (phases.has("deactivate")) {
  const [before] = await queryRows<{ active_tab: number; inactive: number }>(
    db,
    sql`select count(*) filter (where status in ('active','invited'))::int as active_tab, count(*) filter (where status = 'inactive')::int as inactive from users`,
  );
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  let rssMax = rss0;
  const t0 = performance.now();
  const started = await applyLifecycleAction(db, {
    actor: admin,
    action: "deactivate",
    input: input({ selection: { kind: "filter", filter: ACTIVE, excludeIds: [] } }),
    seatLimit,
  });
  if (!started.ok || !started.job) throw new Error(`no job: ${JSON.stringify(started)}`);
  const freezeMs = performance.now() - t0;
  const { maxGap } = await runToEnd(started.job.id, {
    from: t0,
    onBatch: () => {
      rssMax = Math.max(rssMax, process.memoryUsage().rss);
    },
  });
  const [job] = await queryRows<{
    total: number;
    done: number;
    skipped: number;
    skipped_by_reason: unknown;
  }>(
    db,
    sql`select total, done, skipped, skipped_by_reason from jobs where id = ${started.job.id}::uuid`,
  );
  const [after] = await queryRows<{ active_tab: number; inactive: number }>(
    db,
    sql`select count(*) filter (where status in ('active','invited'))::int as active_tab, count(*) filter (where status = 'inactive')::int as inactive from users`,
  );
  const right =
    job &&
    before &&
    after &&
    after.inactive === before.inactive + job.done &&
    after.active_tab === before.active_tab - job.done &&
    job.done + job.skipped === job.total;
  log(
    `deactivate whole Active tab as a job: ${JSON.stringify(job)}; freeze ${ms(freezeMs)}, total ${ms(performance.now() - t0)}; RSS growth max ${mb(rssMax - rss0)}; longest gap ${ms(maxGap)}; Active tab ${before?.active_tab} → ${after?.active_tab}, inactive ${before?.inactive} → ${after?.inactive}; counts right: ${right}`,
  );
}

// 5. The transfer dialog with ≥150,000 owners, to the end: the whole Inactive tab (after
// "deactivate") or Active tab (fresh seed) archived with its records moved to an owner chosen
// from the search.
if (phases.has("transfer")) {
  const TAB: UsersFilter = { ...ACTIVE, tab: transferTab };
  const selection = input({
    selection: { kind: "filter", filter: TAB, excludeIds: [] },
  }).selection;
  const p0 = performance.now();
  const preview = await previewLifecycleAction(db, {
    actor: admin,
    action: "archive",
    selection,
    limit: 50,
    seatLimit,
  });
  const previewMs = performance.now() - p0;
  if (!preview.ok) throw new Error(preview.error);
  const s0 = performance.now();
  const [chosen] = await eligibleNewOwners(db, {
    query: "",
    selection: { selection, actor: admin, action: "archive" },
  });
  const searchMs = performance.now() - s0;
  if (!chosen) throw new Error("no eligible owner");
  log(
    `transfer: archive whole ${transferTab} tab: will change ${preview.willChangeCount}, owners ${JSON.stringify(preview.ownershipTotals)}, preview ${ms(previewMs)}; owner search ${ms(searchMs)} → chose ${chosen.email}`,
  );
  const [before] = await queryRows<{ n: number }>(
    db,
    sql`select (select count(*) from projects where owner_id = ${chosen.id}::uuid) + (select count(*) from automations where owner_id = ${chosen.id}::uuid) as n`,
  );
  const t0 = performance.now();
  const started = await applyLifecycleAction(db, {
    actor: admin,
    action: "archive",
    input: input({
      selection: { kind: "filter", filter: TAB, excludeIds: [] },
      newOwnerId: chosen.id,
    }),
    seatLimit,
  });
  if (!started.ok || !started.job)
    throw new Error(`no job: ${JSON.stringify(started).slice(0, 300)}`);
  const freezeMs = performance.now() - t0;
  const { batches, maxGap } = await runToEnd(started.job.id, { from: t0 });
  const [job] = await queryRows<Record<string, unknown>>(
    db,
    sql`select status, total, done, skipped, skipped_by_reason from jobs where id = ${started.job.id}::uuid`,
  );
  const [after] = await queryRows<{ n: number; exact: boolean }>(
    db,
    sql`select (select count(*) from projects where owner_id = ${chosen.id}::uuid) + (select count(*) from automations where owner_id = ${chosen.id}::uuid) as n,
          (select count(*) from owner_record_counts) = (select count(distinct owner_id) from (select owner_id from projects union all select owner_id from automations) r) as exact`,
  );
  log(
    `transfer: job ${JSON.stringify(job)}; freeze ${ms(freezeMs)}, total ${ms(performance.now() - t0)}, ${batches} batches, longest gap ${ms(maxGap)}; records of ${chosen.email} ${before?.n} → ${after?.n} (expected +${(preview.ownershipTotals?.project ?? 0) + (preview.ownershipTotals?.automation ?? 0)}); owner counts table rows = owners: ${after?.exact}`,
  );
}

await handle.close();
