import type { Logger } from "drizzle-orm";
import { sql } from "drizzle-orm";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import pg from "pg";
import { type Db, queryRows } from "@/db/client";
import * as schema from "@/db/schema";
import { previewLifecycleAction } from "@/lib/lifecycle/apply";
import type { Verb } from "@/lib/users/lifecycle";
import { parseInput } from "@/lib/users/testing/fixtures";
import type { Person } from "@/model/permissions";

/**
 * `DATABASE_URL=postgres://… npx tsx bench/explain-engine.ts [action…]`: the plans behind the
 * preview figures of bench/engine.ts. Runs the preview of the whole Active tab once through a
 * logging Drizzle instance, then EXPLAIN (ANALYZE, BUFFERS) on each statement it sent.
 * PostgreSQL only; reads, never writes.
 */

type Sent = { query: string; params: unknown[] };
const sent: Sent[] = [];
const logger: Logger = { logQuery: (query, params) => sent.push({ query, params }) };

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("explain-engine: set DATABASE_URL to a seeded PostgreSQL database");
  process.exit(1);
}
const pool = new pg.Pool({ connectionString: url, max: 2 });
const db = drizzlePg(pool, { schema, logger }) as unknown as Db;
const [admin] = await queryRows<Person>(
  db,
  sql`select id, role from users where email = 'admin@roster.test'`,
);
if (!admin) throw new Error("no admin@roster.test: seed with --demo");
const actions = (process.argv.slice(2) as Verb[]).filter(Boolean);
const selection = parseInput("archive", {
  selection: {
    kind: "filter",
    filter: {
      tab: "active",
      q: "",
      roles: [],
      neverSignedIn: false,
      lastSignInBefore: null,
      accessEnding: false,
    },
    excludeIds: [],
  },
}).selection;

try {
  for (const action of actions.length ? actions : (["deactivate", "archive"] as const)) {
    sent.length = 0;
    const t0 = performance.now();
    await previewLifecycleAction(db, {
      actor: admin,
      action,
      selection,
      limit: 50,
      seatLimit: 1e7,
    });
    console.log(`\n##### preview ${action}: ${Math.round(performance.now() - t0)} ms`);
    for (const s of [...sent]) {
      console.log(`\n=== ${s.query}\n-- params: ${JSON.stringify(s.params)}`);
      const r = await pool.query<{ "QUERY PLAN": string }>(
        `explain (analyze, buffers) ${s.query}`,
        s.params,
      );
      for (const row of r.rows) console.log(row["QUERY PLAN"]);
    }
  }
} finally {
  await pool.end();
}
