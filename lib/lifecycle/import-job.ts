import { registerJobHandler } from "@/lib/jobs/runner";
import { runNewUsersBatch } from "@/lib/users/new-users-job";
import { seatLimit } from "@/lib/workspace-settings";
import { IMPORT_JOB } from "@/model/import-csv";

/**
 * Import CSV, and Invite, of more than IMPORT_JOB_ROWS people: one batch of the staged rows per
 * step (new-users-job.ts).
 */
export function registerImportJobs(): void {
  // The workspace's limit at each batch (the owner may change it while the job runs).
  registerJobHandler(IMPORT_JOB, (db, job) => runNewUsersBatch(db, job.id, { seatLimit }));
}
