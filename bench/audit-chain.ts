import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { openDatabase } from "@/db/client";
import { verifyAuditChain } from "@/lib/audit/chain";
import { loadAverage, throwawayDatabase } from "./fixtures";

/**
 * `npx tsx bench/audit-chain.ts`: one `insert … select … from generate_series(1, N)` into
 * audit_events, timed with the chain trigger of migration 0010 (running head in a setting) and,
 * round-robin in the same run, with 0008's (head row updated per event) swapped in by CREATE OR
 * REPLACE, then back. The chain is verified after each insert. A throwaway database, dropped after.
 */
const { values: opts } = parseArgs({
  options: {
    server: { type: "string", default: "postgres://postgres@127.0.0.1:5432/postgres" },
    sizes: { type: "string", default: "10000,30000,100000" },
    // 0008's cost grows as n²: above this size it is not run (it would take minutes).
    "old-max": { type: "string", default: "30000" },
    rounds: { type: "string", default: "2" },
  },
});
const sizes = (opts.sizes as string).split(",").map(Number);
const oldMax = Number(opts["old-max"]);
const rounds = Number(opts.rounds);

/** The text of `CREATE FUNCTION audit_events_chain()` in a migration, as CREATE OR REPLACE. */
function chainFunction(file: string): string {
  const text = readFileSync(path.join(process.cwd(), "db", "migrations", file), "utf8");
  const body = text
    .split("--> statement-breakpoint")
    .find((s) => /FUNCTION audit_events_chain\(\)/.test(s));
  if (!body) throw new Error(`no audit_events_chain() in ${file}`);
  return body.replace(/CREATE (OR REPLACE )?FUNCTION/, "CREATE OR REPLACE FUNCTION");
}
const variants = {
  "0010 (linear)": chainFunction("0010_audit_chain_linear.sql"),
  "0008 (per-event head)": chainFunction("0008_hardening_audit.sql"),
} as const;
type Variant = keyof typeof variants;

const load = loadAverage;
const throwaway = await throwawayDatabase(opts.server as string, "roster_chain_bench");
const handle = await openDatabase({ url: throwaway.url, poolSize: 2 });
const times = new Map<string, number[]>();
try {
  await handle.migrate();
  const db = handle.db;
  console.log(
    `audit chain bench — ${new Date().toISOString()}; ${os.cpus().length} cores (${os.cpus()[0]?.model}), node ${process.version}; load before ${load()}`,
  );
  for (let round = 1; round <= rounds; round++) {
    for (const n of sizes) {
      for (const variant of Object.keys(variants) as Variant[]) {
        if (variant !== "0010 (linear)" && n > oldMax) continue;
        await db.execute(sql.raw(variants[variant]));
        const t0 = performance.now();
        await db.execute(
          sql`insert into audit_events (actor_id, action)
              select '00000000-0000-4000-8000-000000000001'::uuid, 'bench' from generate_series(1, ${n}::int)`,
        );
        const took = performance.now() - t0;
        const report = await verifyAuditChain(db);
        if (report.breaks.length > 0) {
          throw new Error(`${variant}, ${n}: chain broken ${JSON.stringify(report.breaks)}`);
        }
        const key = `${n}|${variant}`;
        times.set(key, [...(times.get(key) ?? []), took]);
        console.log(
          `round ${round}: ${variant} insert of ${n} events: ${Math.round(took)} ms (${((took / n) * 1000).toFixed(1)} µs/event); chain verified, ${report.events} events   [load ${load()}]`,
        );
      }
    }
  }
  await db.execute(sql.raw(variants["0010 (linear)"]));
  console.log("\nN        | 0010 ms (each round)  | 0008 ms (each round)  | 0008 / 0010");
  for (const n of sizes) {
    const now = times.get(`${n}|0010 (linear)`) ?? [];
    const old = times.get(`${n}|0008 (per-event head)`) ?? [];
    const min = (xs: number[]) => Math.min(...xs);
    console.log(
      `${String(n).padEnd(8)} | ${now.map(Math.round).join(", ").padEnd(21)} | ${(old.length ? old.map(Math.round).join(", ") : `not run (> ${oldMax})`).padEnd(21)} | ${old.length ? `${(min(old) / min(now)).toFixed(1)} × (best of each)` : "—"}`,
    );
  }
  console.log(`load after ${load()}`);
} finally {
  await handle.close();
  await throwaway.drop();
}
