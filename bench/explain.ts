import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import type { Logger } from "drizzle-orm";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import pg from "pg";
import type { Db } from "@/db/client";
import * as schema from "@/db/schema";
import { readSettings } from "@/lib/env";
import { listUsers, tabCounts } from "@/lib/users/queries";
import { parseUsersView } from "@/lib/users/view";

/**
 * `npx tsx bench/explain.ts`: the plans behind the bench figures. Runs the /users queries once
 * through a logging Drizzle instance, then EXPLAIN ANALYZE on each statement they sent.
 */

type Sent = { query: string; params: unknown[] };
const sent: Sent[] = [];
const logger: Logger = { logQuery: (query, params) => sent.push({ query, params }) };

const settings = readSettings();
let db: Db;
let explain: (s: Sent) => Promise<string[]>;
let close: () => Promise<void>;
if (settings.databaseUrl) {
  const pool = new pg.Pool({ connectionString: settings.databaseUrl, max: 2 });
  db = drizzlePg(pool, { schema, logger }) as unknown as Db;
  explain = async (s) => {
    const r = await pool.query<{ "QUERY PLAN": string }>(
      `explain (analyze, buffers) ${s.query}`,
      s.params,
    );
    return r.rows.map((row) => row["QUERY PLAN"]);
  };
  close = () => pool.end();
} else {
  const client = await PGlite.create(path.join(settings.dataDir, "pglite"), {
    extensions: { pg_trgm },
  });
  db = drizzlePglite(client, { schema, logger }) as unknown as Db;
  explain = async (s) => {
    const r = await client.query<{ "QUERY PLAN": string }>(
      `explain (analyze, buffers) ${s.query}`,
      s.params,
    );
    return r.rows.map((row) => row["QUERY PLAN"]);
  };
  close = () => client.close();
}

const cases: [string, () => Promise<unknown>][] = [
  ["tabCounts", () => tabCounts(db)],
  ["Active by name", () => listUsers(db, parseUsersView({}))],
  [
    "Active by last sign-in desc",
    () => listUsers(db, parseUsersView({ sort: "lastSignIn", dir: "desc" })),
  ],
  ['Active, search "ava"', () => listUsers(db, parseUsersView({ q: "ava" }))],
];

try {
  for (const [name, run] of cases) {
    sent.length = 0;
    await run();
    for (const s of [...sent]) {
      console.log(`\n=== ${name}\n${s.query}\n-- params: ${JSON.stringify(s.params)}`);
      for (const line of await explain(s)) console.log(line);
    }
  }
} finally {
  await close();
}
