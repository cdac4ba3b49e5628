import type { Executor } from "@/db/client";
import { getDb } from "@/lib/db";
import { listAuditEvents } from "./audit/queries";
import { parseAuditView } from "./audit/view";
import { readSettings, resolveAuthSecret, SettingsError, settings } from "./env";
import { startJobRunner, stopJobRunner } from "./jobs/runner";
import { registerExpiryJobs } from "./lifecycle/expiry-job";
import { registerImportJobs } from "./lifecycle/import-job";
import { registerLifecycleJobs } from "./lifecycle/job";
import { startMailSender } from "./mail/outbox";
import { instrumentHttpServer } from "./ops/http";
import { log, openLog } from "./ops/log";
import { loopbackOrigin } from "./ops/loopback";
import { installShutdown } from "./ops/shutdown";
import { warmUp } from "./ops/warm-up";
import { startPolicies } from "./policies/scheduler";
import { ensureSetupCode, setupCodeBanner } from "./setup";
import { startAccessDigest } from "./users/access-requests";
import { listUsers, tabCounts } from "./users/queries";
import { parseUsersView } from "./users/view";
import { workspaceSettings } from "./workspace-settings";

/**
 * Runs once when the server starts (under `next start`: at its first request): validate every
 * setting, then open the database.
 */
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
  const { smtpUrl, databaseUrl, logFile, drainSeconds } = settings();
  openLog(logFile);
  instrumentHttpServer();
  // Open (on the embedded database: migrate and seed) before the first request arrives.
  const db = await getDb();
  // A fresh workspace: print how its operator opens /setup (the code itself only on stdout).
  const setup = await ensureSetupCode(db, settings().setupToken);
  if (setup) {
    console.log(setupCodeBanner(setup, settings().publicUrl));
    log().info({ msg: "first-run setup is open", setupCode: setup.source });
  }
  // Emails wait in the outbox (the development mailbox shows them); with SMTP they also go out.
  const stopMail = smtpUrl
    ? await startMailSender({ smtpUrl, getDb, authSecret: resolveAuthSecret() })
    : () => {};
  // Background jobs (large selections): a job left half-done by a killed server resumes here.
  registerLifecycleJobs();
  // Changes that end by themselves (suspend until…): run at their time, as the system.
  registerExpiryJobs();
  // Large CSV imports: the rest of the file, batch by batch.
  registerImportJobs();
  // Daily policies (dormant users): queued once a day, whatever the number of instances.
  startPolicies({ getDb, baseUrl: settings().publicUrl });
  startJobRunner({ getDb, ownsDatabase: !databaseUrl });
  // Access requests that arrived within the hour after a digest go out in the next one.
  startAccessDigest({ getDb, baseUrl: settings().publicUrl });
  installShutdown({
    drainSeconds,
    stopBackground: async () => {
      stopMail();
      await stopJobRunner();
    },
  });
  log().info({ msg: "server started", database: databaseUrl ? "postgres" : "pglite" });
  // Not awaited: its requests wait for this function (Next serves nothing before it returns).
  // /readyz answers 503 until it ends, so that no person's request is the first of a route.
  const origin = loopbackOrigin();
  if (process.env.NODE_ENV === "production" && origin) {
    void warmUp(origin, { first: () => readDefaultViews(db) });
  }
}

/**
 * The queries a signed-in /users and /audit run on their default view, read once (reads only,
 * nothing kept) so that the first person's finds the database's caches and connections warm:
 * the signed-out warm-up requests stop at the sign-in redirect before any of them.
 */
async function readDefaultViews(db: Executor): Promise<void> {
  await Promise.all([
    workspaceSettings(db),
    tabCounts(db),
    listUsers(db, parseUsersView({})),
    listAuditEvents(db, parseAuditView({})),
  ]);
}
