import { randomBytes } from "node:crypto";
import { type SQL, sql } from "drizzle-orm";
import pg from "pg";
import { type DbHandle, type Executor, openDatabase, queryRows } from "./client";

export type TestDriver = "pglite" | "postgres";

/**
 * Integration tests run on PGlite always, and on PostgreSQL too when TEST_DATABASE_URL is set
 * (by hand, or by db/testing-setup.ts when a local server answers).
 */
export const TEST_DRIVERS: TestDriver[] = process.env.TEST_DATABASE_URL
  ? ["pglite", "postgres"]
  : ["pglite"];

export type TestDatabase = DbHandle & { url: string | null };

/**
 * A fresh, migrated database of its own: an in-memory PGlite, or a new database on the
 * PostgreSQL server (dropped again on close), so test files never see each other's rows.
 */
export async function createTestDatabase(driver: TestDriver, poolSize = 10): Promise<TestDatabase> {
  if (driver === "pglite") {
    const handle = await openDatabase({ dataDir: "memory://" });
    await handle.migrate();
    return { ...handle, url: null };
  }
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error("TEST_DATABASE_URL is not set");
  const name = `roster_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString(), poolSize });
  await handle.migrate();
  return {
    ...handle,
    url: url.toString(),
    close: async () => {
      await handle.close();
      const drop = new pg.Client({ connectionString: adminUrl });
      await drop.connect();
      try {
        // pg's pool.end() resolves once it has *asked* its clients to end, not once they have
        // gone: wait for them rather than FORCE them out, which would surface as an uncaught
        // "terminating connection" error in a client that is still closing.
        for (let attempt = 0; ; attempt++) {
          const { rows } = await drop.query<{ n: number }>(
            "select count(*)::int as n from pg_stat_activity where datname = $1",
            [name],
          );
          if (rows[0]?.n === 0 || attempt >= 100) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await drop.end();
      }
    },
  };
}

/** A node of `EXPLAIN (ANALYZE, FORMAT JSON)`: the fields the plan tests read. */
export type PlanNode = {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Actual Rows"?: number;
  "Actual Loops"?: number;
  "Rows Removed by Filter"?: number;
  Plans?: PlanNode[];
};

/** Runs `query` under EXPLAIN ANALYZE (it is executed) and returns the root of its plan. */
export async function explainAnalyze(executor: Executor, query: SQL): Promise<PlanNode> {
  const [row] = await queryRows<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(
    executor,
    sql`explain (analyze, format json) ${query}`,
  );
  const plan = row?.["QUERY PLAN"][0]?.Plan;
  if (!plan) throw new Error("no plan");
  return plan;
}

/** Every node of a plan, the root first. */
export function planNodes(node: PlanNode, out: PlanNode[] = []): PlanNode[] {
  out.push(node);
  for (const child of node.Plans ?? []) planNodes(child, out);
  return out;
}
