import { parseArgs } from "node:util";
import { openDatabase } from "@/db/client";
import { raceActions } from "@/lib/users/testing/race";
import { loadAverage, throwawayDatabase } from "./fixtures";

/**
 * `npx tsx bench/concurrency.ts`: the "Concurrency on PostgreSQL" figure. 50 clients, each
 * transaction on its own connection, fire conflicting actions at the same 200 users for 30 s in a
 * throwaway database, then the checks of lib/users/testing/race.ts.
 */
const { values: opts } = parseArgs({
  options: {
    server: { type: "string", default: "postgres://postgres@127.0.0.1:5432/postgres" },
    clients: { type: "string", default: "50" },
    seconds: { type: "string", default: "30" },
    users: { type: "string", default: "200" },
  },
});
const throwaway = await throwawayDatabase(opts.server as string, "roster_harden_race");
const clients = Number(opts.clients);
const handle = await openDatabase({ url: throwaway.url, poolSize: clients });
try {
  await handle.migrate();
  const load = loadAverage();
  const started = Date.now();
  const report = await raceActions(handle.db, {
    clients,
    seconds: Number(opts.seconds),
    users: Number(opts.users),
  });
  const took = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    JSON.stringify(
      { ...report, errors: report.errors.slice(0, 5), errorCount: report.errors.length },
      null,
      2,
    ),
  );
  console.log(
    `${clients} clients × ${opts.seconds} s on ${opts.users} users: ${report.calls} calls, ${report.applied} changes applied, ${report.errors.length} errors, ${report.brokenTrails.length} broken trails, audit events ${report.auditEvents} (= applied: ${report.auditEvents === report.applied}), orphan records ${report.orphanRecords}, chain breaks ${report.chainBreaks}, counts table ${report.countMismatches.length ? `≠ count(*) for ${JSON.stringify(report.countMismatches)}` : "= count(*) for every status"}; ${took} s in all; load average before ${load}, after ${loadAverage()}`,
  );
  const failed =
    report.errors.length > 0 ||
    report.brokenTrails.length > 0 ||
    report.auditEvents !== report.applied ||
    report.orphanRecords > 0 ||
    report.recordsAfter !== report.recordsBefore ||
    report.chainBreaks > 0 ||
    report.countMismatches.length > 0;
  process.exitCode = failed ? 1 : 0;
} finally {
  await handle.close();
  await throwaway.drop();
}
