/**
 * Above this many users, a filter selection runs as a background job (lib/jobs) instead of one
 * transaction: frozen at confirm time, applied in batches, with a progress bar.
 */
const JOB_THRESHOLD = 5_000;
/**
 * Users per batch: each batch is one transaction, so other admins wait at most one batch. Chosen
 * from bench/profile-batch.ts at 1,000,000 users (bench/RESULTS.md): an archive-with-transfer
 * batch of 1,000 takes ~360 ms at load 5–6; 2,000 saved ~20% per user but took up to 1.1 s at
 * load 8–9, too close to the 2 s progress target on a loaded machine.
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
