import { getDb } from "@/db";
import { readSettings, resolveAuthSecret, SettingsError, settings } from "./env";
import { registerLifecycleJobs } from "./jobs/lifecycle-job";
import { startJobRunner } from "./jobs/runner";
import { startMailSender } from "./mail/outbox";

/** Runs once when the server starts: validate every setting, then open the database. */
export async function startServer(): Promise<void> {
  try {
    resolveAuthSecret(readSettings());
  } catch (error) {
    if (error instanceof SettingsError) {
      console.error(`\n${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  // Open (on the embedded database: migrate and seed) before the first request arrives.
  await getDb();
  // Emails wait in the outbox (the development mailbox shows them); with SMTP they also go out.
  const { smtpUrl, databaseUrl } = settings();
  if (smtpUrl) await startMailSender({ smtpUrl, getDb, authSecret: resolveAuthSecret() });
  // Background jobs (large selections): a job left half-done by a killed server resumes here.
  registerLifecycleJobs();
  startJobRunner({ getDb, ownsDatabase: !databaseUrl });
}
