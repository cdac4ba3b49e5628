import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { type DbHandle, type Executor, openDatabase, queryRows } from "@/db/client";
import { users } from "@/db/schema";
import { readSettings } from "@/lib/env";
import { listUsers, seatsUsed, tabCounts, usersFilterWhere } from "@/lib/users/queries";
import { parseUsersView, type UsersView } from "@/lib/users/view";

/**
 * `npm run bench`: times the queries behind the first page of /users (the console layout's
 * seatsUsed, the page's tabCounts and listUsers), on the database of DATABASE_URL or the
 * embedded one (stop the server first). Each statement goes through lib/users/queries.ts.
 */

const HELP = `Usage: npm run bench -- [--runs N] [--warmup N]

Times the /users queries (listUsers, tabCounts from lib/users/queries.ts) on the database in
DATABASE_URL, or on the embedded PGlite in <ROSTER_DATA_DIR>/pglite (stop the server first).
Prints the median, min and max of N runs after the warm-up runs.`;

const { values: opts } = parseArgs({
  options: {
    runs: { type: "string", default: "7" },
    warmup: { type: "string", default: "2" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (opts.help) {
  console.log(HELP);
  process.exit(0);
}
const runs = Number(opts.runs);
const warmup = Number(opts.warmup);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(warmup) || warmup < 0) {
  console.error("bench: --runs needs a whole number ≥ 1 and --warmup one ≥ 0");
  process.exit(1);
}

type Case = { name: string; run: (db: Executor) => Promise<unknown> };

const view = (params: Record<string, string>): UsersView => parseUsersView(params);
const countMatching = (v: UsersView) => async (db: Executor) =>
  db.select({ n: sql<number>`count(*)::int` }).from(users).where(usersFilterWhere(v));

const activeByName = view({});
const activeBySignIn = view({ sort: "lastSignIn", dir: "desc" });
const searchAva = view({ q: "ava" });
const archivedByName = view({ tab: "archived" });

const CASES: Case[] = [
  { name: "seatsUsed (console header, every page)", run: (db) => seatsUsed(db) },
  { name: "tabCounts (all five tabs)", run: (db) => tabCounts(db) },
  { name: "listUsers: Active, by name, page 1", run: (db) => listUsers(db, activeByName) },
  { name: "  of which: count of matches only", run: countMatching(activeByName) },
  {
    name: "listUsers: Active, by last sign-in desc, page 1",
    run: (db) => listUsers(db, activeBySignIn),
  },
  { name: 'listUsers: Active, search "ava", page 1', run: (db) => listUsers(db, searchAva) },
  { name: "  of which: count of matches only", run: countMatching(searchAva) },
  { name: "listUsers: Archived, by name, page 1", run: (db) => listUsers(db, archivedByName) },
  {
    name: "one /users request: seatsUsed + tabCounts + listUsers (Active, by name)",
    run: (db) => Promise.all([seatsUsed(db), tabCounts(db), listUsers(db, activeByName)]),
  },
  {
    name: "one /users request as the page makes it (the tab's count is the total)",
    run: async (db) => {
      const [, counts] = await Promise.all([seatsUsed(db), tabCounts(db)]);
      void counts;
      return listUsers(db, activeByName);
    },
  },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

const ms = (x: number) => x.toFixed(1);

const settings = readSettings();
let handle: DbHandle;
let where: string;
if (settings.databaseUrl) {
  const url = new URL(settings.databaseUrl);
  where = `PostgreSQL ${url.host}${url.pathname}`;
  handle = await openDatabase({ url: settings.databaseUrl });
} else {
  const dir = path.join(settings.dataDir, "pglite");
  where = `PGlite ${dir}`;
  handle = await openDatabase({ dataDir: dir });
}

try {
  const db = handle.db;
  const [info] = await queryRows<{ version: string; users: number; records: number }>(
    db,
    sql`select version() as version,
               (select count(*) from users)::int as users,
               ((select count(*) from projects) + (select count(*) from automations))::int as records`,
  );
  console.log(`Database: ${where}`);
  console.log(`Server:   ${info?.version.split(",")[0] ?? "?"}`);
  console.log(
    `Machine:  ${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? "?"}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
  );
  console.log(
    `Data:     ${Number(info?.users).toLocaleString("en-US")} users, ${Number(info?.records).toLocaleString("en-US")} owned records`,
  );
  console.log(`Runs:     ${warmup} warm-up, then ${runs} timed; milliseconds\n`);

  console.log(`| query | median | min | max |`);
  console.log(`|---|---:|---:|---:|`);
  for (const c of CASES) {
    for (let i = 0; i < warmup; i++) await c.run(db);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await c.run(db);
      times.push(performance.now() - t);
    }
    console.log(
      `| ${c.name} | ${ms(median(times))} | ${ms(Math.min(...times))} | ${ms(Math.max(...times))} |`,
    );
  }

  const sample = await listUsers(db, searchAva);
  console.log(`\n(search "ava" matches ${sample.total.n.toLocaleString("en-US")} users)`);
} finally {
  await handle.close();
}
