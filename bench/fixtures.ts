import os from "node:os";
import { sql } from "drizzle-orm";
import pg from "pg";
import { type Db, queryRows } from "@/db/client";

/** The demo account whose actions fill a share of the bench's audit log. */
export const BENCH_ACTOR_EMAIL = "admin@roster.test";
/** The demo account that owns the bench's 1,000 records. */
export const BENCH_OWNER_EMAIL = "departing@roster.test";

/** The load average (1, 5, 15 min), as every bench prints it next to its figures. */
export function loadAverage(): string {
  return os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(" ");
}

/**
 * A new, empty database `name` on the PostgreSQL server of `serverUrl` (dropped first if a killed
 * run left it), for a bench that changes everything; `drop()` removes it at the end.
 */
export async function throwawayDatabase(
  serverUrl: string,
  name: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

async function one<T>(db: Db, query: ReturnType<typeof sql>): Promise<T> {
  const [row] = await queryRows<T>(db, query);
  if (!row) throw new Error("bench: expected a row");
  return row;
}

/**
 * Tops the audit log up to `events` rows by INSERT … SELECT generate_series, in chunks of 1,000: one
 * event in 20 by the bench actor, the rest by 1,000 other users, over two years.
 */
export async function ensureAuditEvents(
  db: Db,
  events: number,
  log: (line: string) => void,
): Promise<number> {
  const { n } = await one<{ n: number }>(db, sql`select count(*)::int as n from audit_events`);
  if (n >= events) return n;
  const { id: actor } = await one<{ id: string }>(
    db,
    sql`select id from users where lower(email) = ${BENCH_ACTOR_EMAIL}`,
  );
  await db.execute(sql`drop table if exists bench_people`);
  await db.execute(
    sql`create unlogged table bench_people as select row_number() over () as k, id from (select id from users tablesample system (1) limit 20000) s`,
  );
  await db.execute(sql`alter table bench_people add primary key (k)`);
  await db.execute(sql`analyze bench_people`);
  const { people } = await one<{ people: number }>(
    db,
    sql`select count(*)::int as people from bench_people`,
  );
  // Small statements, each its own transaction: the audit chain's trigger updates its one head
  // row per event, and within one transaction every update adds a version that the next must
  // walk past, so a statement of n events costs n² (500,000 in one took more than 8 minutes
  // before it was stopped; 1,000 take about 80 ms).
  const chunk = 1_000;
  let t = performance.now();
  for (let done = n; done < events; done += chunk) {
    const size = Math.min(chunk, events - done);
    await db.execute(sql`
      insert into audit_events (at, actor_id, action, target_id, from_status, to_status, request_id)
      select now() - make_interval(secs => (g * 7919 % 63072000)),
        case when g % 20 = 0 then ${actor}::uuid
          else (select id from bench_people where k = 1 + (g * 31 % least(1000, ${people}))) end,
        (array['deactivate','reactivate','archive','restore','approve','reject','reinvite'])[1 + g % 7],
        (select id from bench_people where k = 1 + (g * 17 % ${people})),
        'active', 'inactive', 'bench'
      from generate_series(${done + 1}::bigint, ${done + size}::bigint) g`);
    if ((done + size) % 500_000 === 0 || done + size === events) {
      log(
        `  audit events ${(done + size).toLocaleString("en-US")} (${((performance.now() - t) / 1000).toFixed(1)} s)`,
      );
      t = performance.now();
    }
  }
  await db.execute(sql`drop table bench_people`);
  await db.execute(sql`vacuum analyze audit_events`);
  return events;
}

/** Gives the bench owner 1,000 projects (once): the detail page of a heavy record owner. */
export async function ensureOwnedRecords(db: Db, records: number): Promise<string> {
  const { id } = await one<{ id: string }>(
    db,
    sql`select id from users where lower(email) = ${BENCH_OWNER_EMAIL}`,
  );
  const { n } = await one<{ n: number }>(
    db,
    sql`select ((select count(*) from projects where owner_id = ${id}::uuid) + (select count(*) from automations where owner_id = ${id}::uuid))::int as n`,
  );
  if (n < records) {
    await db.execute(sql`
      insert into projects (name, owner_id)
      select 'Bench project ' || g, ${id}::uuid from generate_series(1, ${records - n}) g`);
  }
  return id;
}

/** The demo workspace's admin (admin@roster.test), as the actor of a bench's actions. */
export async function demoAdmin(db: Db): Promise<{ id: string; role: "admin" }> {
  const [admin] = await queryRows<{ id: string }>(
    db,
    sql`select id from users where email = 'admin@roster.test'`,
  );
  if (!admin) throw new Error("bench: no admin@roster.test (the demo workspace is not loaded)");
  return { id: admin.id, role: "admin" };
}
