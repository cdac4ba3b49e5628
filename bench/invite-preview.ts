/**
 * Issue 16 §1: "Invite people" with 10,000 addresses in one paste, on PostgreSQL at 1M users:
 * the preview (parse, who exists, seats) and the apply, timed; prints figures, never asserts. The
 * apply of more than IMPORT_JOB_ROWS is a job: the confirm (plan again, stage, start the job), then
 * its batches run here one after another as the runner would, with the progress the job's row
 * shows after each; `--one-transaction` applies in one transaction instead (as before the job). On a throwaway database of the
 * PostgreSQL server of TEST_DATABASE_URL (seeded with 1M users, dropped at the end), or on the
 * seeded bench workspace of DATABASE_URL (the apply then adds 9,000 invited users to it).
 *
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test nice flock /tmp/roster-heavy.lock \
 *     npx tsx bench/invite-preview.ts [--users 1000000] [--rounds 7] [--batch 1000] [--one-transaction]
 */
import os from "node:os";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { openDatabase, queryRows } from "@/db/client";
import { seedLargeWorkspace } from "@/db/seed-large";
import { seedDemo } from "@/lib/demo";
import { applyNewUsers, previewNewUsers } from "@/lib/users/new-users";
import { runNewUsersBatch } from "@/lib/users/new-users-job";
import { loadAverage, throwawayDatabase } from "./fixtures";

const { values } = parseArgs({
  options: {
    users: { type: "string", default: "1000000" },
    rounds: { type: "string", default: "7" },
    batch: { type: "string", default: "1000" },
    "one-transaction": { type: "boolean", default: false },
  },
});
const BATCH = Number(values.batch);
const USERS = Number(values.users);
const ROUNDS = Number(values.rounds);
const cpu = os.cpus();
const log = (line: string) => console.log(line);
log(`invite-preview — ${new Date().toISOString()}, ${cpu.length} × ${cpu[0]?.model.trim()}`);
log(`load ${loadAverage()}`);

const server = process.env.TEST_DATABASE_URL;
const given = process.env.DATABASE_URL;
if (!given && !server) throw new Error("invite-preview: set DATABASE_URL or TEST_DATABASE_URL");
const scratch = given ? null : await throwawayDatabase(server ?? "", "roster_bench_invite");
const h = await openDatabase({ url: given ?? scratch?.url ?? "" });
try {
  if (scratch) await h.migrate();
  const [info] = await queryRows<{ n: number }>(h.db, sql`select count(*)::int as n from users`);
  if (Number(info?.n ?? 0) < USERS) {
    const t = performance.now();
    await seedDemo(h.db);
    await seedLargeWorkspace(h.db, { users: USERS });
    log(
      `seeded ${USERS.toLocaleString("en-US")} users in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
  }
  const [admin] = await queryRows<{ id: string }>(
    h.db,
    sql`select id from users where email = 'admin@roster.test'`,
  );
  if (!admin) throw new Error("invite-preview: no admin@roster.test");
  // 10,000 entries: 9,000 new addresses, 900 users already there, 50 repeats, 50 non-addresses.
  const existing = await queryRows<{ email: string }>(
    h.db,
    sql`select email from users tablesample system (1) limit 900`,
  );
  const tag = Date.now().toString(36);
  const lines = [
    ...Array.from({ length: 9_000 }, (_, i) =>
      i % 3 === 0 ? `New Person ${i} <new.${tag}.${i}@bench.test>` : `new.${tag}.${i}@bench.test`,
    ),
    ...existing.map((e) => e.email.toUpperCase()),
    ...Array.from({ length: 50 }, (_, i) => `new.${tag}.${i}@BENCH.test`),
    ...Array.from({ length: 50 }, (_, i) => `not-an-address-${i}`),
  ];
  const text = lines.join("\n");
  const args = {
    actor: { id: admin.id, role: "admin" as const },
    action: "invite" as const,
    options: { emails: text, role: "member" },
    seatLimit: 10_000_000,
  };
  log(
    `paste: ${lines.length.toLocaleString("en-US")} entries, ${(text.length / 1024).toFixed(0)} KB`,
  );
  const times: number[] = [];
  let fingerprint = "";
  for (let r = 0; r < ROUNDS; r++) {
    const t = performance.now();
    const p = await previewNewUsers(h.db, args);
    times.push(performance.now() - t);
    if (!p.ok) throw new Error(p.error);
    if (r === 0) {
      const by = (code: string) => p.skipped.filter((s) => s.code === code).length;
      log(
        `preview: ${p.invite.length} to invite; skipped ${by("exists")} existing, ${by("duplicate")} repeats, ${by("invalid")} invalid`,
      );
    }
    fingerprint = p.fingerprint;
  }
  const sorted = [...times].sort((a, b) => a - b);
  log(
    `preview ms (${ROUNDS} rounds): median ${sorted[Math.floor(ROUNDS / 2)]?.toFixed(0)}, min ${sorted[0]?.toFixed(0)}, max ${sorted.at(-1)?.toFixed(0)}`,
  );
  const t = performance.now();
  const r = await applyNewUsers(h.db, {
    ...args,
    expected: fingerprint,
    baseUrl: "http://bench",
    ...(values["one-transaction"] ? { jobAbove: Number.POSITIVE_INFINITY } : {}),
  });
  if (!r.ok) throw new Error(r.error);
  const confirmMs = performance.now() - t;
  if (!r.job) {
    log(
      `apply in one transaction: ${r.done} users, invitations and audit events in ${confirmMs.toFixed(0)} ms`,
    );
  } else {
    const job = r.job;
    const batchMs: number[] = [];
    const progress: string[] = [];
    for (;;) {
      const b = performance.now();
      const step = await runNewUsersBatch(h.db, job.id, {
        seatLimit: async () => 10_000_000,
        batchSize: BATCH,
      });
      batchMs.push(performance.now() - b);
      const [row] = await queryRows<{ cursor: number; done: number; status: string }>(
        h.db,
        sql`select cursor, done, status from jobs where id = ${job.id}::uuid`,
      );
      progress.push(
        `${row?.cursor}/${job.total} at ${((performance.now() - t) / 1000).toFixed(1)} s`,
      );
      if (step === "finished") break;
    }
    const [made] = await queryRows<{ done: number; status: string; audit: number }>(
      h.db,
      sql`select j.done, j.status,
            (select count(*)::int from audit_events a where a.job_id = j.id) as audit
          from jobs j where j.id = ${job.id}::uuid`,
    );
    const sortedBatches = [...batchMs].sort((a, b) => a - b);
    log(
      `apply as a job: ${made?.done} users (${made?.status}), ${made?.audit} audit events, in ${(performance.now() - t).toFixed(0)} ms: confirm ${confirmMs.toFixed(0)} ms, then ${batchMs.length} batches of ${BATCH} (median ${sortedBatches[Math.floor(batchMs.length / 2)]?.toFixed(0)} ms, max ${sortedBatches.at(-1)?.toFixed(0)} ms)`,
    );
    log(`progress: ${progress.join(", ")}`);
  }
  log(`load ${loadAverage()}`);
} finally {
  await h.close();
  await scratch?.drop();
}
