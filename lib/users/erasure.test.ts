import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Executor, queryRows } from "@/db/client";
import type { User } from "@/db/schema";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "@/db/testing";
import { verifyAuditChain } from "@/lib/audit/chain";
import { authenticate } from "@/lib/authenticate";
import { seedDemo } from "@/lib/demo";
import { runLifecycleBatch } from "@/lib/lifecycle/job";
import { requestIdFrom } from "@/lib/request-id";
import { endOwnSessions } from "@/lib/sessions";
import { ACCOUNT_RULE, throttleKey } from "@/lib/throttle";
import { previewImport } from "@/lib/users/import-users";
import {
  addRecords,
  addUser,
  addUsers,
  asActor,
  auditFor,
  run,
  selectionOf,
} from "./testing/fixtures";

type Hit = { table: string; column: string; n: number };

/** Every text-like column of every table in the database, searched for each needle. */
async function searchEverywhere(db: Executor, needles: string[]): Promise<Hit[]> {
  const columns = await queryRows<{ schema: string; table: string; column: string }>(
    db,
    sql`select c.table_schema as schema, c.table_name as table, c.column_name as column
        from information_schema.columns c
        join information_schema.tables t
          on t.table_schema = c.table_schema and t.table_name = c.table_name
        where t.table_type = 'BASE TABLE'
          and c.table_schema not in ('pg_catalog', 'information_schema')
          and c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY', 'USER-DEFINED')`,
  );
  expect(columns.length).toBeGreaterThan(10);
  const hits: Hit[] = [];
  for (const c of columns) {
    const target = sql.raw(`"${c.schema}"."${c.table}"`);
    const column = sql.raw(`"${c.column}"`);
    const matches = sql.join(
      needles.map((n) => sql`${column}::text ilike ${`%${n}%`}`),
      sql` or `,
    );
    const [row] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from ${target} where ${matches}`,
    );
    if (Number(row?.n) > 0)
      hits.push({ table: `${c.schema}.${c.table}`, column: c.column, n: Number(row?.n) });
  }
  return hits;
}

/** The whole database as a backup would hold it, lower-cased. */
function dumpOf(url: string): string {
  return execFileSync("pg_dump", ["--no-owner", url], {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  }).toLowerCase();
}

describe.each(TEST_DRIVERS)("permanent delete erases personal data on %s", (driver) => {
  let t: TestDatabase;
  beforeAll(async () => {
    // A filter selection of two users runs as a background job.
    vi.stubEnv("ROSTER_JOB_THRESHOLD", "1");
    t = await createTestDatabase(driver);
    await seedDemo(t.db);
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await t?.close();
  });

  it("leaves no trace of their name or email in any column of any table; history keeps ids", async () => {
    const [owner] = await queryRows<User>(
      t.db,
      sql`select id, role from users where email = 'owner@roster.test'`,
    );
    const [admin] = await queryRows<User>(
      t.db,
      sql`select id, role from users where email = 'admin@roster.test'`,
    );
    if (!owner || !admin) throw new Error("demo accounts missing");
    const name = "Zephyrine Quarrington";
    const email = "Zephyrine.Q@erasure.example";
    const zeph = await addUser(t.db, { name, email, role: "admin", status: "active" });
    await addRecords(t.db, zeph.id, { project: 2, automation: 1 });
    await t.db.execute(
      sql`insert into user_notes (user_id, body) values (${zeph.id}::uuid, ${`${name} prefers email`})`,
    );

    // Zeph acts as an admin: invites two people (their emails name Zeph as the inviter) and
    // deactivates someone with a notice.
    const invitees = await addUsers(t.db, [{ status: "inactive" }, { status: "invited" }]);
    expect(
      await run(t.db, asActor(zeph), "reinvite", { selection: selectionOf(invitees) }),
    ).toMatchObject({ ok: true, done: 2 });
    const [leaver] = await addUsers(t.db, [{ status: "active" }]);
    expect(
      await run(t.db, asActor(zeph), "deactivate", {
        selection: selectionOf([leaver as User]),
        options: { notify: true },
      }),
    ).toMatchObject({ ok: true, done: 1 });

    // Zeph gets an invitation and a notice of their own.
    // Admins name them in what they type: reasons are personal data too.
    await run(t.db, asActor(owner), "deactivate", {
      selection: selectionOf([zeph]),
      options: { notify: true },
      reason: `${name.toUpperCase()} asked to leave; ${email} stays reachable`,
    });
    const [zephNow] = await queryRows<User>(
      t.db,
      sql`select id, status from users where id = ${zeph.id}::uuid`,
    );
    await run(t.db, asActor(owner), "reinvite", {
      selection: selectionOf([zephNow as User]),
    });

    // An import not yet applied names them (a skipped row: already a user).
    const staged = await previewImport(t.db, {
      actor: asActor(owner),
      fileName: "people.csv",
      source: [
        `name,email,role\n${name},${email},member\nSomeone Else,someone.else@erasure.example,member\n`,
      ],
      seatLimit: 1_000_000,
    });
    expect(staged).toMatchObject({ ok: true });

    const needles = [name, email, "Zephyrine", "Quarrington"];
    const before = await searchEverywhere(t.db, needles);
    const tables = new Set(before.map((h) => h.table));
    // The search finds them where they are, so an empty result below means something.
    expect([...tables].sort()).toEqual([
      "public.audit_reasons",
      "public.csv_import_rows",
      "public.outbox",
      "public.user_notes",
      "public.users",
    ]);

    const result = await run(t.db, asActor(owner), "delete", {
      selection: { kind: "ids", targets: [{ id: zeph.id, expectedStatus: "inactive" }] },
      newOwnerId: admin.id,
      options: { confirm: "DELETE" },
      reason: `Erasure request from  Zephyrine   Quarrington (${email.toLowerCase()})`,
    });
    expect(result).toMatchObject({ ok: true, done: 1 });

    expect(await searchEverywhere(t.db, needles)).toEqual([]);
    if (t.url) {
      const dump = dumpOf(t.url);
      expect(dump).toContain("redact-reason");
      for (const needle of [name, email])
        expect(dump.split(needle.toLowerCase()).length - 1).toBe(0);
    }
    // The redactions are in the history, chained like everything else, and it still verifies.
    const redactions = await queryRows<{ target_id: string; text: string }>(
      t.db,
      sql`select e.target_id, r.text from audit_events e join audit_reasons r on r.id = e.reason_id
          where e.action = 'redact-reason' order by e.id`,
    );
    // Every reason on an event about them goes whole: no spelling of theirs is left to chance.
    expect(redactions).toEqual([
      { target_id: zeph.id, text: null },
      { target_id: zeph.id, text: null },
    ]);
    expect((await verifyAuditChain(t.db)).breaks).toEqual([]);
    // What they did and what was done to them stays in the history, by id.
    const history = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from audit_events where actor_id = ${zeph.id}::uuid`,
    );
    expect(Number(history[0]?.n)).toBe(3);
    expect((await auditFor(t.db, [zeph.id])).map((r) => r.action)).toEqual([
      "deactivate",
      "reinvite",
      "delete",
    ]);
    // Their records stayed, with the new owner; the invitations they sent still work.
    const [moved] = await queryRows<{ n: number }>(
      t.db,
      sql`select (select count(*) from projects where owner_id = ${admin.id}::uuid)
            + (select count(*) from automations where owner_id = ${admin.id}::uuid) as n`,
    );
    expect(Number(moved?.n)).toBeGreaterThanOrEqual(3);
    const [open] = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from invitations
          where created_by = ${zeph.id}::uuid and used_at is null and expires_at > now()`,
    );
    expect(Number(open?.n)).toBe(2);
  });

  it("erases them from a job's reason, reasons spelled five ways, a failed sign-in and a request id", async () => {
    const [owner] = await queryRows<User>(
      t.db,
      sql`select id, role from users where email = 'owner@roster.test'`,
    );
    if (!owner) throw new Error("demo owner missing");
    const name = "Ottoline Brackenbury";
    const email = "ottoline.b@qxtagerase.example";
    const otto = await addUser(t.db, { name, email, role: "member", status: "active" });
    const [colleague] = await addUsers(t.db, [
      { email: "colleague@qxtagerase.example", status: "active" },
    ]);
    // Reasons on events about her, spelled as people spell names.
    const spellings = [
      "Brackenbury, Ottoline asked for a break",
      "per ottoline.b's manager",
      "O. Brackenbury is back",
      "Ottoline-Brackenbury on leave",
      "Ottoline\u00a0Brackenbury returns",
    ];
    for (const [i, reason] of spellings.entries()) {
      const [now] = await queryRows<User>(
        t.db,
        sql`select id, status from users where id = ${otto.id}::uuid`,
      );
      const verb = i % 2 === 0 ? "deactivate" : "reactivate";
      expect(
        await run(t.db, asActor(owner), verb, { selection: selectionOf([now as User]), reason }),
      ).toMatchObject({ ok: true, done: 1 });
    }
    await run(t.db, asActor(owner), "reactivate", {
      selection: selectionOf([{ id: otto.id, status: "inactive" }]),
    });
    // A bulk job for her and a colleague, with one reason that names her.
    const started = await run(t.db, asActor(owner), "deactivate", {
      selection: {
        kind: "filter",
        filter: {
          tab: "active",
          q: "qxtagerase",
          roles: [],
          neverSignedIn: false,
          lastSignInBefore: null,
          accessEnding: false,
        },
        excludeIds: [],
      },
      reason: `Offboarding ${name} <${email}> with her team`,
    });
    if (!started.ok || !started.job) throw new Error(`no job: ${JSON.stringify(started)}`);
    expect(started.job.total).toBe(2);
    while ((await runLifecycleBatch(t.db, started.job.id, { batchSize: 1 })) === "more") {}
    // A failed sign-in as her, and her name sent as a request id.
    const failed = await authenticate(
      t.db,
      { email, password: "not-her-password", address: "198.51.100.7" },
      { verify: async () => false },
    );
    expect(failed).toMatchObject({ ok: false, code: "invalid" });
    // Her account's rows: its own, and the one for her account from that address.
    const accountHash = throttleKey("account", email, ACCOUNT_RULE).key.split(":")[1];
    const hers = sql`select count(*)::int as n from auth_throttle
      where key = ${`account:${accountHash}`} or key like ${`pair:${accountHash}:%`}`;
    expect(Number((await queryRows<{ n: number }>(t.db, hers))[0]?.n)).toBe(2);
    const [admin] = await queryRows<User>(
      t.db,
      sql`select id, role from users where email = 'admin@roster.test'`,
    );
    await endOwnSessions(t.db, {
      userId: (admin as User).id,
      requestId: requestIdFrom(new Headers({ "x-request-id": "Ottoline.Brackenbury" })),
    });

    const result = await run(t.db, asActor(owner), "delete", {
      selection: selectionOf([{ id: otto.id, status: "inactive" }]),
      options: { confirm: "DELETE" },
      reason: "Erasure request",
    });
    expect(result).toMatchObject({ ok: true, done: 1 });

    const needles = [name, email, "Ottoline", "Brackenbury", "ottoline.b"];
    expect(await searchEverywhere(t.db, needles)).toEqual([]);
    // Neither her address's keyed hash nor its plain sha256 is left in the throttle.
    const plain = createHash("sha256").update(email).digest("hex");
    const [throttled] = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from auth_throttle
          where key = ${throttleKey("account", email, ACCOUNT_RULE).key} or key like ${`%${plain}%`}`,
    );
    expect(Number(throttled?.n)).toBe(0);
    const [anyOfHers] = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from auth_throttle where key like ${`%${accountHash}%`}`,
    );
    expect(Number(anyOfHers?.n)).toBe(0);
    // The job kept no text of its own, and the colleague's event lost the shared reason too.
    const [job] = await queryRows<{ params: string }>(
      t.db,
      sql`select params::text from jobs where id = ${started.job.id}::uuid`,
    );
    expect(job?.params).not.toMatch(/offboarding/i);
    expect((await auditFor(t.db, [(colleague as User).id])).map((r) => r.reason)).toEqual([null]);
    if (t.url) {
      const dump = dumpOf(t.url);
      for (const needle of needles) expect(dump.split(needle.toLowerCase()).length - 1).toBe(0);
    }
    // Each redaction is an event, and the chain verifies.
    const [redactions] = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from audit_events
          where action = 'redact-reason' and target_id = ${otto.id}::uuid`,
    );
    // Five spellings, the job's reason and the delete's own.
    expect(Number(redactions?.n)).toBe(7);
    expect((await verifyAuditChain(t.db)).breaks).toEqual([]);
  });
});
