import os from "node:os";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { type Db, queryRows } from "@/db/client";
import * as schema from "@/db/schema";
import { readSettings } from "@/lib/env";
import { applyLifecycleAction } from "@/lib/lifecycle/apply";
import type { ParsedVerbInput } from "@/lib/users/verb-types";

/**
 * `npx tsx bench/archive-transfer.ts`: archives N active users who own records (10,000 by
 * default), with the transfer of their records to a new owner, in ONE call of
 * applyLifecycleAction, and prints the time and the number of SQL statements it issued.
 *
 * It CHANGES the database of DATABASE_URL (users archived, records moved): use a throwaway one.
 */

const HELP = `Usage: DATABASE_URL=postgres://… npx tsx bench/archive-transfer.ts [--users N]

Picks N active users (not the owner) who own records, giving records to active users who own
none when there are too few, then archives them all with the transfer of their records to an
active admin (or the owner) in one applyLifecycleAction call. Prints elapsed ms and the SQL
statements issued (counted by a Drizzle logger). Changes the database: use a throwaway one.`;

const { values: opts } = parseArgs({
  options: {
    users: { type: "string", default: "10000" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (opts.help) {
  console.log(HELP);
  process.exit(0);
}
const wanted = Number(String(opts.users).replace(/[_,]/g, ""));
if (!Number.isInteger(wanted) || wanted < 1) {
  console.error(`archive-transfer: --users needs a positive whole number (got "${opts.users}")`);
  process.exit(1);
}
const settings = readSettings();
if (!settings.databaseUrl) {
  console.error("archive-transfer: set DATABASE_URL to a (throwaway) PostgreSQL database.");
  process.exit(1);
}

let statements = 0;
let counting = false;
const pool = new pg.Pool({ connectionString: settings.databaseUrl, max: 2 });
const db = drizzle(pool, {
  schema,
  logger: {
    logQuery() {
      if (counting) statements++;
    },
  },
}) as unknown as Db;

try {
  const [actor] = await queryRows<{ id: string; role: "owner" }>(
    db,
    sql`select id, role from users where role = 'owner' and status = 'active' limit 1`,
  );
  if (!actor) throw new Error("no active owner: seed the database first (npm run db:seed)");
  const [admin] = await queryRows<{ id: string }>(
    db,
    sql`select id from users where role = 'admin' and status = 'active' order by id limit 1`,
  );
  const newOwnerId = admin?.id ?? actor.id;

  const ownersSql = sql`select u.id from users u
    where u.status = 'active' and u.role <> 'owner' and u.id <> ${newOwnerId}::uuid
      and (exists (select 1 from projects p where p.owner_id = u.id)
        or exists (select 1 from automations a where a.owner_id = u.id))
    order by u.id limit ${wanted}`;
  let targets = await queryRows<{ id: string }>(db, ownersSql);
  if (targets.length < wanted) {
    const missing = wanted - targets.length;
    console.log(
      `Giving a project to ${missing.toLocaleString("en-US")} active users who own none…`,
    );
    await db.execute(sql`insert into projects (name, owner_id)
      select 'Bench project ' || left(u.id::text, 8), u.id from users u
      where u.status = 'active' and u.role <> 'owner' and u.id <> ${newOwnerId}::uuid
        and not exists (select 1 from projects p where p.owner_id = u.id)
        and not exists (select 1 from automations a where a.owner_id = u.id)
      order by u.id limit ${missing}`);
    targets = await queryRows<{ id: string }>(db, ownersSql);
  }
  if (targets.length < wanted) {
    throw new Error(`only ${targets.length} active users can take part; seed more users`);
  }
  const [info] = await queryRows<{ version: string; users: number; records: number }>(
    db,
    sql`select version() as version, (select count(*) from users)::int as users,
      ((select count(*) from projects) + (select count(*) from automations))::int as records`,
  );
  const [owned] = await queryRows<{ n: number }>(
    db,
    sql`select ((select count(*) from projects where owner_id = any(${`{${targets.map((t) => t.id).join(",")}}`}::uuid[]))
      + (select count(*) from automations where owner_id = any(${`{${targets.map((t) => t.id).join(",")}}`}::uuid[])))::int as n`,
  );

  const input: ParsedVerbInput = {
    // Built directly: the action layer caps explicit selections at 1,000; the domain has no cap.
    selection: {
      kind: "ids",
      targets: targets.map((t) => ({ id: t.id, expectedStatus: "active" as const })),
    },
    newOwnerId,
    reason: "bench: archive with transfer",
    onConflict: "skip",
    options: {},
  };
  counting = true;
  const started = performance.now();
  const result = await applyLifecycleAction(db, {
    actor,
    action: "archive",
    input,
    seatLimit: settings.seats,
    requestId: "bench-archive-transfer",
  });
  const elapsed = performance.now() - started;
  counting = false;
  if (!result.ok) throw new Error(`archive refused: ${result.error}`);

  const url = new URL(settings.databaseUrl);
  console.log(`Database:   PostgreSQL ${url.host}${url.pathname} (${info?.version.split(",")[0]})`);
  console.log(
    `Machine:    ${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? "?"}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
  );
  console.log(
    `Data:       ${Number(info?.users).toLocaleString("en-US")} users, ${Number(info?.records).toLocaleString("en-US")} owned records`,
  );
  console.log(
    `Archived:   ${result.done.toLocaleString("en-US")} users (${result.skipped.length} skipped), ${Number(owned?.n).toLocaleString("en-US")} records moved to ${newOwnerId}`,
  );
  console.log(`Elapsed:    ${elapsed.toFixed(0)} ms`);
  console.log(`Statements: ${statements}`);
} finally {
  await pool.end();
}
