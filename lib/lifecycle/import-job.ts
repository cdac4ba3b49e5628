import { registerJobHandler } from "@/lib/jobs/runner";
import { runImportBatch } from "@/lib/users/import-users";
import { seatLimit } from "@/lib/workspace-settings";
import { IMPORT_JOB } from "@/model/import-csv";

/** Import CSV of more than IMPORT_JOB_ROWS people: one batch of rows per step (import-users.ts). */
export function registerImportJobs(): void {
  // The workspace's limit at each batch (the owner may change it while the job runs).
  registerJobHandler(IMPORT_JOB, (db, job) => runImportBatch(db, job.id, { seatLimit }));
}
