import path from "node:path";
import { openDatabase } from "@/db/client";
import { verifyAuditChain } from "@/lib/audit/chain";
import { readSettings } from "@/lib/env";

/**
 * `npm run audit:verify`: recomputes the audit hash chain and names the first broken link.
 * Exit code 0 when intact, 1 when not. On the embedded database, stop the server first.
 */
const s = readSettings();
const handle = s.databaseUrl
  ? await openDatabase({ url: s.databaseUrl, poolSize: 1 })
  : await openDatabase({ dataDir: path.join(s.dataDir, "pglite") });
try {
  const started = Date.now();
  const report = await verifyAuditChain(handle.db);
  const took = `${Date.now() - started} ms`;
  if (report.breaks.length === 0) {
    console.log(
      `Audit chain intact: ${report.events.toLocaleString("en-US")} events verified in ${took}.`,
    );
    if (report.headHash) console.log(`Head hash (keep a copy elsewhere): ${report.headHash}`);
  } else {
    console.error(`Audit chain BROKEN (${report.events.toLocaleString("en-US")} events, ${took}):`);
    for (const b of report.breaks) {
      const where = b.eventId
        ? `event id ${b.eventId} (chain position ${b.chainSeq ?? "none"})`
        : `chain position ${b.chainSeq}`;
      console.error(`  first broken link: ${where}: ${b.problem}`);
    }
    process.exitCode = 1;
  }
} finally {
  await handle.close();
}
