/**
 * Above this many users, a filter selection runs as a background job (lib/lifecycle/job.ts) instead of one
 * transaction: frozen at confirm time, applied in batches, with a progress bar.
 */
const JOB_THRESHOLD = 5_000;
/**
 * Users per batch: each batch is one transaction, so other admins wait at most one batch. Chosen
 * with bench/profile-batch.ts at 1,000,000 users: larger batches cost a little less per user but
 * held a batch too close to the 2 s progress target on a loaded machine. The figures, dated, are
 * in bench/RESULTS.md ("Lifecycle engine v2": batch size).
 */
const JOB_BATCH_SIZE = 1_000;

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  return Number.isSafeInteger(n) && n > 0 ? n : fallback;
}

/** `ROSTER_JOB_THRESHOLD` lowers it for tests (e2e/jobs.spec.ts); unset in production. */
export function jobThreshold(): number {
  return positiveInt("ROSTER_JOB_THRESHOLD", JOB_THRESHOLD);
}

/** `ROSTER_JOB_BATCH_SIZE` lowers it for tests, so that a small job still takes several batches. */
export function jobBatchSize(): number {
  return positiveInt("ROSTER_JOB_BATCH_SIZE", JOB_BATCH_SIZE);
}

/**
 * Seconds between the policy scheduler's ticks (lib/policies/scheduler.ts): 60. `ROSTER_POLICY_TICK`
 * "off" stops the ticks for the browser tests, whose specs run a policy by hand ("Run now") on a
 * shared demo workspace; the scheduler's exactly-once runs are tested in lib/policies/.
 */
export function policyTickMs(): number | null {
  if (process.env.ROSTER_POLICY_TICK === "off") return null;
  return positiveInt("ROSTER_POLICY_TICK", 60) * 1000;
}
