import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { openDatabase } from "@/db/client";
import { type ExportView, usersCsvStream } from "@/lib/users/export";
import { USERS_DEFAULTS } from "@/lib/users/view";
import { loadAverage } from "./fixtures";

/**
 * `npx tsx bench/export-spool.ts --url postgres://…/roster_cluster [--runs 3]`: what one CSV
 * download of the whole Active tab costs on PostgreSQL (the spool's COPY, read to the end):
 * wall time, and the CPU of this process (the server's parsing and file writes) beside it.
 */
const { values: opts } = parseArgs({
  options: {
    url: { type: "string" },
    runs: { type: "string", default: "3" },
    tab: { type: "string", default: "active" },
  },
});
if (!opts.url) throw new Error("--url postgres://… of a seeded database");

// The default view of the tab (sorted by name), as a download of it without filters asks for.
const view: ExportView = { ...USERS_DEFAULTS, tab: opts.tab as ExportView["tab"] };
const handle = await openDatabase({ url: opts.url, poolSize: 2 });
for (let i = 0; i < Number(opts.runs); i++) {
  const cpu = process.cpuUsage();
  const t = performance.now();
  let bytes = 0;
  const reader = usersCsvStream(handle.db, view).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
  }
  const wall = performance.now() - t;
  const used = process.cpuUsage(cpu);
  console.log(
    `export ${opts.tab}: ${(bytes / 1e6).toFixed(1)} MB in ${(wall / 1000).toFixed(2)} s; this process's CPU ${((used.user + used.system) / 1e6).toFixed(2)} s; load ${loadAverage()}`,
  );
}
await handle.close();
