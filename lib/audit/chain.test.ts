import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Executor, openDatabase, queryRows } from "@/db/client";
import type { User } from "@/db/schema";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "@/db/testing";
import { addRecords, addUsers, asActor, run, selectionOf } from "@/lib/users/testing/fixtures";
import { verifyAuditChain } from "./chain";

/** As a superuser: change a row with the append-only trigger off, as an attacker with root would. */
async function tamper(t: TestDatabase, statement: ReturnType<typeof sql>) {
  await t.db.transaction(async (tx) => {
    await tx.execute(sql`alter table audit_events disable trigger user`);
    await tx.execute(statement);
    await tx.execute(sql`alter table audit_events enable trigger user`);
  });
}

describe.each(TEST_DRIVERS)("audit hash chain on %s", (driver) => {
  let t: TestDatabase;
  let admin: User;
  let owner: User;

  beforeAll(async () => {
    t = await createTestDatabase(driver);
    [owner, admin] = (await addUsers(t.db, [{ role: "owner" }, { role: "admin" }])) as [User, User];
  });
  afterAll(async () => {
    await t?.close();
  });

  it("chains every event of a multi-row insert, stores one reason per action, and verifies", async () => {
    const targets = await addUsers(
      t.db,
      Array.from({ length: 30 }, () => ({ status: "active" as const })),
    );
    await addRecords(t.db, targets[0]?.id as string, { project: 2 });
    const result = await run(t.db, asActor(admin), "archive", {
      selection: selectionOf(targets),
      newOwnerId: owner.id,
      reason: "Contract ended",
    });
    expect(result.ok).toBe(true);
    const rows = await queryRows<{ n: number; seqs: number; reasons: number; texts: number }>(
      t.db,
      sql`select count(*)::int as n, count(distinct chain_seq)::int as seqs,
            count(distinct reason_id)::int as reasons,
            (select count(*)::int from audit_reasons where text = 'Contract ended') as texts
          from audit_events where action = 'archive' and reason is null and hash is not null`,
    );
    expect(rows[0]).toEqual({ n: 30, seqs: 30, reasons: 1, texts: 1 });
    const report = await verifyAuditChain(t.db);
    expect(report.breaks).toEqual([]);
    expect(report.events).toBeGreaterThanOrEqual(30);
    expect(report.headHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("chains the events of several statements and a rolled-back savepoint of one transaction", async () => {
    const headSeq = async (db: Executor) =>
      (await queryRows<{ seq: number }>(db, sql`select seq::int from audit_chain_head`))[0]?.seq;
    const insert = (n: number) =>
      sql`insert into audit_events (actor_id, action)
          select ${admin.id}::uuid, 'chain-test' from generate_series(1, ${n}::int)`;
    const before = (await headSeq(t.db)) as number;
    await t.db.transaction(async (tx) => {
      await tx.execute(insert(50));
      // The head is written once the statement ends (migration 0010), not once per event.
      expect(await headSeq(tx)).toBe(before + 50);
      await expect(
        tx.transaction(async (savepoint) => {
          await savepoint.execute(insert(20));
          throw new Error("roll back to the savepoint");
        }),
      ).rejects.toThrow("roll back");
      await tx.execute(insert(30));
    });
    const rows = await queryRows<{ n: number; first: number; last: number }>(
      t.db,
      sql`select count(*)::int as n, min(chain_seq)::int as first, max(chain_seq)::int as last
          from audit_events where action = 'chain-test'`,
    );
    expect(rows[0]).toEqual({ n: 80, first: before + 1, last: before + 80 });
    expect(await headSeq(t.db)).toBe(before + 80);
    expect((await verifyAuditChain(t.db)).breaks).toEqual([]);
  });

  it("names the first broken link after a superuser edits an event", async () => {
    const [target] = await queryRows<{ id: string }>(
      t.db,
      sql`select id::text from audit_events order by chain_seq offset 4 limit 1`,
    );
    await tamper(t, sql`update audit_events set to_status = 'active' where id = ${target?.id}`);
    const report = await verifyAuditChain(t.db);
    expect(report.breaks[0]).toMatchObject({ eventId: Number(target?.id), chainSeq: 5 });
    expect(report.breaks[0]?.problem).toMatch(/edited/);
    await tamper(t, sql`update audit_events set to_status = 'archived' where id = ${target?.id}`);
    expect((await verifyAuditChain(t.db)).breaks).toEqual([]);
  });

  it("detects a deleted event, a rewritten reason, and an event written with the trigger off", async () => {
    await t.db.execute(
      sql`create table saved_event as select * from audit_events where chain_seq = 3`,
    );
    await tamper(t, sql`delete from audit_events where chain_seq = 3`);
    let report = await verifyAuditChain(t.db);
    expect(report.breaks[0]).toMatchObject({ chainSeq: 4 });
    expect(report.breaks[0]?.problem).toMatch(/missing/);
    // Put it back exactly as it was: the chain verifies again.
    await tamper(
      t,
      sql`insert into audit_events overriding system value select * from saved_event`,
    );
    expect((await verifyAuditChain(t.db)).breaks).toEqual([]);

    await t.db.execute(sql`update audit_reasons set text = 'Nothing to see here'`);
    report = await verifyAuditChain(t.db);
    expect(report.breaks.map((b) => b.problem)).toEqual([
      expect.stringMatching(/reason text differs/),
    ]);
    await t.db.execute(sql`update audit_reasons set text = 'Contract ended'`);

    await tamper(
      t,
      sql`insert into audit_events (actor_id, action) values (${admin.id}::uuid, 'forged')`,
    );
    report = await verifyAuditChain(t.db);
    expect(report.breaks[0]?.problem).toMatch(/not chained/);
  });
});

/** The statement of a migration file that (re)defines the chain trigger's function. */
function chainTriggerOf(migration: string): string {
  const text = readFileSync(path.join(process.cwd(), "db", "migrations", migration), "utf8");
  const statement = text
    .split("--> statement-breakpoint")
    .find((s) => s.includes("CREATE OR REPLACE FUNCTION audit_events_chain()"));
  if (!statement) throw new Error(`${migration}: no audit_events_chain`);
  return statement;
}

describe.each(TEST_DRIVERS)("the chain trigger of migration 0030 on %s", (driver) => {
  let t: TestDatabase;
  let admin: User;

  beforeAll(async () => {
    t = await createTestDatabase(driver);
    [admin] = (await addUsers(t.db, [{ role: "admin" }])) as [User];
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Events with every column filled in some of them, written under the session's settings. */
  const write = (tx: Executor, action: string) =>
    tx.execute(sql`
      insert into audit_events (at, actor_id, action, target_id, from_status, to_status,
        records_moved, reason, request_id, job_id)
      select timestamptz '2026-03-29 01:59:59.123456+00' + make_interval(hours => i, secs => i * 0.001),
        ${admin.id}::uuid, ${action}, gen_random_uuid(),
        case when i % 2 = 0 then 'active'::user_status end, 'archived'::user_status,
        case when i % 3 = 0 then jsonb_build_object('project', i, 'ratio', i / 7.0, 'note', 'é "q" \\')
        end,
        case when i % 4 = 0 then 'Reason ' || (i % 8) || ' — «quoted»' end,
        case when i % 5 = 0 then 'req-' || i end,
        case when i % 6 = 0 then gen_random_uuid() end
      from generate_series(1, 40) i`);

  it("hashes each event as audit_event_hash does, whatever the session's settings", async () => {
    await t.db.transaction(async (tx) => {
      await tx.execute(sql`set local "TimeZone" = 'America/New_York'`);
      await tx.execute(sql`set local "DateStyle" = 'SQL, DMY'`);
      await tx.execute(sql`set local "IntervalStyle" = 'sql_standard'`);
      await tx.execute(sql`set local "extra_float_digits" = 0`);
      // reason_digest is bytea: to_jsonb prints it by bytea_output (migration 0031 fixes it).
      await tx.execute(sql`set local bytea_output = 'escape'`);
      await write(tx, "settings-test");
    });
    await write(t.db, "settings-test");
    // The old function, on each event and its predecessor, against what the trigger stored.
    const [row] = await queryRows<{ n: number; same: number }>(
      t.db,
      sql`select count(*)::int as n,
            count(*) filter (
              where e.hash = audit_event_hash(coalesce(p.hash, audit_chain_genesis()), e))::int as same
          from audit_events e left join audit_events p on p.chain_seq = e.chain_seq - 1
          where e.action = 'settings-test'`,
    );
    expect(row).toEqual({ n: 80, same: 80 });
    expect((await verifyAuditChain(t.db)).breaks).toEqual([]);
  });

  it("sets every setting audit_event_hash sets", async () => {
    const [row] = await queryRows<{ hash: string[]; chain: string[] }>(
      t.db,
      sql`select (select proconfig from pg_proc where proname = 'audit_event_hash') as hash,
            (select proconfig from pg_proc where proname = 'audit_events_chain') as chain`,
    );
    expect(row?.hash).toEqual(
      expect.arrayContaining([
        "TimeZone=UTC",
        "DateStyle=ISO, YMD",
        "IntervalStyle=postgres",
        "extra_float_digits=1",
        "bytea_output=hex",
      ]),
    );
    expect(row?.hash.length).toBe(5);
    expect(row?.chain).toEqual(expect.arrayContaining(row?.hash ?? []));
  });

  it("continues a chain the trigger of migration 0013 wrote, and 0013's continues it", async () => {
    const before = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from audit_events`,
    );
    for (const migration of ["0013_audit_erasure.sql", "0030_import_cheaper.sql"]) {
      await t.db.execute(sql.raw(chainTriggerOf(migration)));
      await write(t.db, `written-by-${migration.slice(0, 4)}`);
    }
    await t.db.execute(sql.raw(chainTriggerOf("0013_audit_erasure.sql")));
    await write(t.db, "written-by-0013-again");
    await t.db.execute(sql.raw(chainTriggerOf("0030_import_cheaper.sql")));
    const report = await verifyAuditChain(t.db);
    expect(report.breaks).toEqual([]);
    expect(report.events).toBe((before[0]?.n ?? 0) + 120);
  });
});

describe.each(TEST_DRIVERS)("rewrites of reasons on %s", (driver) => {
  let t: TestDatabase;
  let owner: User;
  let admin: User;

  beforeAll(async () => {
    t = await createTestDatabase(driver);
    [owner, admin] = (await addUsers(t.db, [{ role: "owner" }, { role: "admin" }])) as [User, User];
  });
  afterAll(async () => {
    await t?.close();
  });

  async function archivedWith(reason: string): Promise<{ user: User; reasonId: string }> {
    const [user] = (await addUsers(t.db, [{ status: "active" }])) as [User];
    expect(
      await run(t.db, asActor(admin), "archive", { selection: selectionOf([user]), reason }),
    ).toMatchObject({ ok: true, done: 1 });
    const [row] = await queryRows<{ id: string }>(
      t.db,
      sql`select reason_id::text as id from audit_events
          where target_id = ${user.id}::uuid and action = 'archive'`,
    );
    return { user, reasonId: row?.id as string };
  }

  it("names a reason cut down to a suffix of itself by moving its bytes into the key", async () => {
    const { user, reasonId } = await archivedWith("Investigated by security: NOT guilty of fraud");
    expect((await verifyAuditChain(t.db)).breaks).toEqual([]);
    await t.db.execute(sql`update audit_reasons
      set key = key || convert_to('Investigated by security: NOT ', 'UTF8'), text = 'guilty of fraud'
      where id = ${reasonId}::bigint`);
    const report = await verifyAuditChain(t.db);
    expect(report.breaks).toHaveLength(1);
    expect(report.breaks[0]?.problem).toMatch(/reason text differs/);
    const [event] = await queryRows<{ id: string }>(
      t.db,
      sql`select id::text from audit_events where target_id = ${user.id}::uuid`,
    );
    expect(report.breaks[0]?.eventId).toBe(Number(event?.id));
    await t.db.execute(sql`update audit_reasons
      set key = substring(key from 1 for 32), text = 'Investigated by security: NOT guilty of fraud'
      where id = ${reasonId}::bigint`);
    expect((await verifyAuditChain(t.db)).breaks).toEqual([]);
  });

  it("names a redaction forged in the owner's name outside an erasure", async () => {
    const { user, reasonId } = await archivedWith("Kept on file: cleared by the inquiry");
    // What the app's role could do before: a redaction event in the owner's name, then the text gone.
    await t.db.execute(sql`insert into audit_events (actor_id, action, target_id, reason_id)
      values (${owner.id}::uuid, 'redact-reason', ${user.id}::uuid, ${reasonId}::bigint)`);
    await t.db.execute(
      sql`update audit_reasons set text = null, key = null, redacted_at = now() where id = ${reasonId}::bigint`,
    );
    const report = await verifyAuditChain(t.db);
    expect(report.breaks.map((b) => b.problem)).toEqual([
      expect.stringMatching(/redaction .*not part of an erasure/),
    ]);
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)("the app's database role", () => {
  let t: TestDatabase;
  let app: Awaited<ReturnType<typeof openDatabase>>;
  const login = `roster_web_${randomBytes(4).toString("hex")}`;

  async function asSuperuser(text: string) {
    const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    t = await createTestDatabase("postgres");
    // roster_app comes from the migration; the login role joins it, as in production.
    await asSuperuser(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${login}') THEN
        CREATE ROLE ${login} LOGIN IN ROLE roster_app;
      END IF; END $$`);
    const url = new URL(t.url as string);
    url.username = login;
    app = await openDatabase({ url: url.toString(), poolSize: 2 });
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
    await asSuperuser(`DROP ROLE IF EXISTS ${login}`);
  });

  it("runs actions and appends chained events, but can't rewrite, remove or unhook the audit", async () => {
    const [owner, admin, target] = (await addUsers(app.db, [
      { role: "owner" },
      { role: "admin" },
      { status: "active" },
    ])) as [User, User, User];
    await addRecords(app.db, target.id, { project: 1, automation: 1 });
    const result = await run(app.db, asActor(admin), "archive", {
      selection: selectionOf([target]),
      newOwnerId: owner.id,
      reason: "Left",
    });
    expect(result.ok).toBe(true);
    const [{ n } = { n: 0 }] = await queryRows<{ n: number }>(
      app.db,
      sql`select count(*)::int as n from audit_events`,
    );
    expect(n).toBe(1);

    const refused = [
      sql`update audit_events set action = 'x'`,
      sql`delete from audit_events`,
      sql`truncate audit_events`,
      sql`truncate audit_events cascade`,
      sql`alter table audit_events disable trigger audit_events_no_update_or_delete`,
      sql`alter table audit_events disable trigger zz_audit_events_chain`,
      sql`alter table audit_events disable trigger all`,
      sql`drop trigger audit_events_no_truncate on audit_events`,
      sql`drop table audit_events cascade`,
      sql`update audit_chain_head set seq = 0`,
      sql`delete from audit_reasons`,
      sql`insert into audit_reasons (text) values ('x')`,
      // Reasons change only through the erasure function, which records the redaction itself.
      sql`update audit_reasons set text = 'guilty of fraud'`,
      sql`update audit_reasons set key = null, text = null`,
      sql`insert into audit_events (actor_id, action, target_id, reason_id)
          select ${owner.id}::uuid, 'redact-reason', ${target.id}::uuid, max(id) from audit_reasons`,
      sql`select audit_erase_reasons(array[${target.id}::uuid], ${owner.id}::uuid, now())`,
      sql`create or replace function audit_events_append_only() returns trigger as $$ begin return null; end $$ language plpgsql`,
      sql`set session_replication_role = replica`,
    ];
    for (const statement of refused) {
      const error = await app.db.execute(statement).then(
        () => "accepted",
        (e: Error) => String((e.cause as Error | undefined)?.message ?? e.message),
      );
      expect(error).toMatch(/permission denied|must be owner|append-only|only by an erasure/);
    }
    // Erasure runs as the app too: the reason naming them is redacted, the redaction recorded.
    const erased = await run(app.db, asActor(owner), "delete", {
      selection: selectionOf([{ id: target.id, status: "archived" }]),
      newOwnerId: owner.id,
      options: { confirm: "DELETE" },
      reason: `Erasure request from ${target.name}`,
    });
    expect(erased).toMatchObject({ ok: true, done: 1 });
    const reasons = await queryRows<{ text: string | null; redacted: boolean }>(
      app.db,
      sql`select text, redacted_at is not null as redacted from audit_reasons order by id`,
    );
    expect(reasons).toEqual([
      { text: null, redacted: true },
      { text: null, redacted: true },
    ]);
    expect((await verifyAuditChain(app.db)).breaks).toEqual([]);
    // The archive, the delete and one redaction per reason.
    expect((await verifyAuditChain(t.db)).events).toBe(4);
  });
});
