/**
 * Issue 20 §2: a search's per-tab match counts, one pass grouped by tab (at several pass limits)
 * against one capped count per tab (the pass limit 0 makes every tab count on its own: the way
 * before), side by side in one run, ABBA; then the role filter's page without and with the
 * index (tab, role, name, id) of migration 0017 (created if missing, dropped in a rolled-back
 * transaction for the "without"). On the database of DATABASE_URL (a seeded bench workspace).
 *
 *   DATABASE_URL=postgres://…/roster_bench nice flock /tmp/roster-heavy.lock \
 *     npx tsx bench/search-counts.ts [--rounds 12] [--q ava,ada,.test]
 */
import os from "node:os";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { openDatabase } from "@/db/client";
import { listUsers, tabMatchCounts } from "@/lib/users/queries";
import { parseUsersView } from "@/lib/users/view";
import { loadAverage } from "./fixtures";

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "12" },
    q: { type: "string", default: "ava,.1234@,example" },
  },
});
const url = process.env.DATABASE_URL;
if (!url) throw new Error("search-counts: set DATABASE_URL to a seeded bench database");
const h = await openDatabase({ url });
const rounds = Number(values.rounds);
const cpu = os.cpus();
console.log(`search-counts — ${new Date().toISOString()}, ${cpu.length} × ${cpu[0]?.model.trim()}`);
console.log(`load ${loadAverage()}`);

// The pass limit: 0 is every tab counted on its own (as before the pass).
const ways = {
  "per tab": (q: string) => tabMatchCounts(h.db, parseUsersView({ q }), 0),
  "pass 2,002": (q: string) => tabMatchCounts(h.db, parseUsersView({ q }), 2_002),
  "pass 5,005": (q: string) => tabMatchCounts(h.db, parseUsersView({ q }), 5_005),
  "pass 50,000": (q: string) => tabMatchCounts(h.db, parseUsersView({ q }), 50_000),
};
type Way = keyof typeof ways;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

const names = Object.keys(ways) as Way[];
for (const q of (values.q ?? "").split(",")) {
  const times = Object.fromEntries(names.map((w) => [w, [] as number[]])) as Record<Way, number[]>;
  const answers = new Set<string>();
  for (const way of names) answers.add(JSON.stringify(await ways[way](q)));
  for (let r = 0; r < rounds; r++) {
    // ABBA: each round in the opposite order to the last.
    const order = r % 2 === 0 ? names : [...names].reverse();
    for (const way of order) {
      const t = performance.now();
      await ways[way](q);
      times[way].push(performance.now() - t);
    }
  }
  const base = median(times["per tab"]);
  console.log(
    `q=${JSON.stringify(q)} (median ms of ${rounds}; ratio to per tab), same counts every way: ${answers.size === 1}`,
  );
  for (const way of names) {
    const m = median(times[way]);
    console.log(`  ${way.padEnd(12)} ${m.toFixed(1).padStart(7)}  ${(m / base).toFixed(2)}`);
  }
}
// The role filter in the default order, without the index of migration 0017 (dropped in a
// transaction that is rolled back) and with it, ABBA.
async function roleAdminPage(withIndex: boolean): Promise<number> {
  let ms = 0;
  await h.db
    .transaction(async (tx) => {
      if (!withIndex) await tx.execute(sql`drop index users_tab_role_name_idx`);
      const t = performance.now();
      await listUsers(tx, parseUsersView({ roles: "admin" }));
      ms = performance.now() - t;
      throw new Error("rollback");
    })
    .catch((error: Error) => {
      if (error.message !== "rollback") throw error;
    });
  return ms;
}
await h.db.execute(
  sql`create index if not exists users_tab_role_name_idx on users (tab, role, name, id)`,
);
const role = { without: [] as number[], with: [] as number[] };
for (let r = 0; r < rounds * 2; r++) {
  for (const withIndex of r % 2 === 0 ? [false, true] : [true, false]) {
    role[withIndex ? "with" : "without"].push(await roleAdminPage(withIndex));
  }
}
console.log(
  `listUsers roles=admin (tab active, by name; median ms of ${rounds * 2}): without (tab, role, name, id) ${median(role.without).toFixed(1)}, with it ${median(role.with).toFixed(1)} (${(median(role.with) / median(role.without)).toFixed(2)}×)`,
);
console.log(`load ${loadAverage()}`);
await h.close();
