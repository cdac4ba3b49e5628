import { sql } from "drizzle-orm";
import { type Db, queryRows } from "@/db/client";
import { registerJobHandler, wakeJobRunner } from "@/lib/jobs/runner";
import { policyTickMs } from "@/lib/lifecycle/config";
import { errorFields, log } from "@/lib/ops/log";
import { expireDeletionRequests } from "@/lib/users/deletion-requests";
import { enqueuePolicyRun, jobKind, policyJobHandler, readPolicy } from "./define";
import { POLICIES } from "./index";

/*
 * Daily policies, exactly once per day however many app instances run: each instance ticks, and
 * a tick claims the day's run by inserting (policy, day) into policy_runs together with its job,
 * in one transaction. The primary key lets one tick in; the others insert nothing. The job then
 * runs once through the job runner (SKIP LOCKED and a lease: a killed instance's job is taken
 * over, and each batch moves the job's progress in its own transaction). A run's times are
 * frozen when it is queued, so a run that passes midnight still means the day it started.
 */

/** The period a daily run belongs to: the UTC day. */
function dailyPeriod(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** Queues today's run of each policy that is on and has no run today yet; the new job ids. */
export async function scheduleDuePolicies(db: Db, now = new Date()): Promise<string[]> {
  const period = dailyPeriod(now);
  const queued: string[] = [];
  for (const def of POLICIES) {
    const policy = await readPolicy(db, def);
    if (!policy.enabled) continue;
    const jobId = await db.transaction(async (tx) => {
      const [claimed] = await queryRows<{ policy: string }>(
        tx,
        sql`insert into policy_runs (policy, period) values (${def.name}, ${period})
            on conflict do nothing returning policy`,
      );
      if (!claimed) return null;
      const run = await enqueuePolicyRun(tx, def, { policy, now, startedBy: null });
      if (!run.ok) {
        // A run started by hand is still going (today's counts as that one), or the policy
        // can't run (no default owner): said in the log; the day is spent either way.
        log().warn({ msg: "policy run not queued", policy: def.name, reason: run.error });
        return null;
      }
      await tx.execute(sql`
        update policy_runs set job_id = ${run.jobId}::uuid
        where policy = ${def.name} and period = ${period}`);
      return run.jobId;
    });
    if (jobId) queued.push(jobId);
  }
  if (queued.length) wakeJobRunner();
  return queued;
}

const globalForPolicies = globalThis as unknown as { rosterPolicies?: NodeJS.Timeout };

/** Registers the policies' job handlers and ticks the scheduler (lib/start.ts). */
export function startPolicies(options: { getDb: () => Promise<Db>; baseUrl: string }): void {
  for (const def of POLICIES)
    registerJobHandler(jobKind(def), policyJobHandler(def, options.baseUrl));
  const tickMs = policyTickMs();
  if (globalForPolicies.rosterPolicies || tickMs === null) return;
  // Each tick also closes deletion requests past their 7 days (exactly once: see there).
  const tick = () =>
    options
      .getDb()
      .then(async (db) => {
        await scheduleDuePolicies(db);
        await expireDeletionRequests(db);
      })
      .catch((error) => log().error({ msg: "policy schedule failed", ...errorFields(error) }));
  void tick();
  const timer = setInterval(tick, tickMs);
  timer.unref();
  globalForPolicies.rosterPolicies = timer;
}
