import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import type { User } from "@/db/schema";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "@/db/testing";
import { LIFECYCLE, type Verb } from "./lifecycle";
import { seatsUsed, statusCounts } from "./queries";
import { addRecords, addUsers, asActor, run, selectionOf } from "./testing/fixtures";
import { raceActions, statusCountMismatches } from "./testing/race";
import type { VerbResult } from "./verb-types";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * On PostgreSQL the calls run at once on 25 connections and really block on each other's row and
 * advisory locks; each winner holds its locks a little longer to make sure the others pile up.
 * PGlite has one connection: there the same calls queue, which checks the logic, not the locks.
 */
describe.each(TEST_DRIVERS)("concurrent actions on %s", (driver) => {
  let t: TestDatabase;
  let owner: User;
  let admins: User[];

  beforeAll(async () => {
    t = await createTestDatabase(driver, 25);
    const [first, ...rest] = await addUsers(t.db, [
      { role: "owner" },
      { role: "admin" },
      { role: "admin" },
      { role: "admin" },
    ]);
    owner = first as User;
    admins = rest;
  });
  afterAll(async () => {
    await t?.close();
  });

  it("50 conflicting archive/deactivate calls over the same 10 users: one winner per user, no double transition", async () => {
    const targets = await addUsers(
      t.db,
      Array.from({ length: 10 }, () => ({ status: "active" as const })),
    );
    const owners = targets.slice(0, 4);
    for (const u of owners) await addRecords(t.db, u.id, { project: 2, automation: 1 });
    const ids = targets.map((u) => u.id);

    const calls = Array.from({ length: 50 }, (_, i) => {
      const action: Verb = i % 2 === 0 ? "archive" : "deactivate";
      const actor = admins[i % admins.length] as User;
      // Different subsets in different orders: the lock order must not depend on the request.
      const subset = i % 3 === 0 ? targets : targets.filter((_, j) => (i + j) % 2 === 0);
      const ordered = i % 4 === 0 ? [...subset].reverse() : subset;
      return run(
        t.db,
        asActor(actor),
        action,
        {
          selection: selectionOf(ordered),
          ...(LIFECYCLE[action].needsTransfer ? { newOwnerId: owner.id } : {}),
        },
        { hooks: { afterStatus: () => sleep(5) } },
      );
    });
    const results: VerbResult[] = await Promise.all(calls);

    expect(results.filter((r) => !r.ok)).toEqual([]);
    const wins = new Map<string, number>();
    for (const r of results) {
      if (!r.ok) continue;
      for (const c of r.changed) wins.set(c.id, (wins.get(c.id) ?? 0) + 1);
      for (const s of r.skipped) expect(s.code).toBe("conflict");
    }
    expect(ids.map((id) => wins.get(id))).toEqual(ids.map(() => 1));

    const rows = await queryRows<{ id: string; status: string; session_version: number }>(
      t.db,
      sql`select id, status, session_version from users where id in (${sql.join(
        ids.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`,
    );
    for (const row of rows) {
      expect(["archived", "inactive"]).toContain(row.status);
      expect(Number(row.session_version)).toBe(1);
    }
    const audit = await queryRows<{ target_id: string; n: number }>(
      t.db,
      sql`select target_id, count(*)::int as n from audit_events where target_id in (${sql.join(
        ids.map((id) => sql`${id}::uuid`),
        sql`, `,
      )}) group by target_id`,
    );
    expect(audit).toHaveLength(10);
    expect(audit.every((a) => Number(a.n) === 1)).toBe(true);

    // Records moved exactly for the owners whose winner was an archive.
    const status = new Map(rows.map((r) => [r.id, r.status]));
    for (const u of owners) {
      const [left] = await queryRows<{ n: number }>(
        t.db,
        sql`select count(*)::int as n from projects where owner_id = ${u.id}::uuid`,
      );
      expect(Number(left?.n)).toBe(status.get(u.id) === "archived" ? 0 : 2);
    }
  });

  it("two reactivations competing for the last seat: exactly one succeeds, every time", async () => {
    for (let round = 0; round < 5; round++) {
      const [a, b] = (await addUsers(t.db, [{ status: "inactive" }, { status: "inactive" }])) as [
        User,
        User,
      ];
      const limit = (await seatsUsed(t.db)) + 1;
      const [ra, rb] = await Promise.all(
        [a, b].map((u, i) =>
          run(
            t.db,
            asActor(admins[i] as User),
            "reactivate",
            { selection: selectionOf([u]) },
            { seatLimit: limit, hooks: { afterStatus: () => sleep(10) } },
          ),
        ),
      );
      const oks = [ra, rb].filter((r) => r?.ok);
      expect(oks, `round ${round}`).toHaveLength(1);
      const refused = [ra, rb].find((r) => r && !r.ok);
      expect(refused, `round ${round}`).toMatchObject({
        ok: false,
        error: expect.stringMatching(/^Needs 1 seat; 0 free\./),
      });
      expect(await seatsUsed(t.db)).toBe(limit);
    }
  });

  it("20 approvals racing for 5 free seats: 5 bulk calls fit, the rest are refused whole", async () => {
    const pending = await addUsers(
      t.db,
      Array.from({ length: 20 }, () => ({ status: "pending" as const })),
    );
    const limit = (await seatsUsed(t.db)) + 5;
    const results = await Promise.all(
      pending.map((u, i) =>
        run(
          t.db,
          asActor(admins[i % admins.length] as User),
          "approve",
          { selection: selectionOf([u]) },
          { seatLimit: limit },
        ),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    expect(await seatsUsed(t.db)).toBe(limit);
  });

  it("archiving to a new owner while someone deactivates that owner and the same users: no deadlock, and records move only to an owner active at the time", async () => {
    for (let round = 0; round < 6; round++) {
      const created = await addUsers(t.db, [
        { role: "admin", status: "active" },
        { status: "active" },
      ]);
      // Alternate which of the two comes first in id order: the lock order both calls follow.
      const [heir, leaver] = (round % 2 === 0 ? created : [...created].reverse()) as [User, User];
      await addRecords(t.db, leaver.id, { project: 1 });
      const [archive, deactivate] = await Promise.all([
        run(
          t.db,
          asActor(admins[0] as User),
          "archive",
          { selection: selectionOf([leaver]), newOwnerId: heir.id },
          // Holding its first locks a while lets the other call take whatever it can meanwhile.
          { hooks: { afterLock: () => sleep(30) } },
        ),
        run(
          t.db,
          asActor(owner),
          "deactivate",
          { selection: selectionOf([heir, leaver]) },
          { hooks: { afterStatus: () => sleep(10) } },
        ),
      ]);
      expect(archive.ok, `round ${round}: ${JSON.stringify(archive)}`).toBe(true);
      expect(deactivate.ok, `round ${round}: ${JSON.stringify(deactivate)}`).toBe(true);
      const [state] = await queryRows<{ leaver: string; heir: string; owner_id: string }>(
        t.db,
        sql`select (select status from users where id = ${leaver.id}::uuid) as leaver,
                   (select status from users where id = ${heir.id}::uuid) as heir,
                   (select owner_id from projects where owner_id in (${leaver.id}::uuid, ${heir.id}::uuid)) as owner_id`,
      );
      expect(state?.heir).toBe("inactive");
      if (state?.leaver === "archived") {
        // The archive went first: the records moved while the heir was still active.
        expect(state.owner_id).toBe(heir.id);
      } else {
        expect(state?.leaver).toBe("inactive");
        expect(state?.owner_id).toBe(leaver.id);
      }
    }
  });

  it("after all of the above, the counts table still equals count(*) by status", async () => {
    const exact = await queryRows<{ status: string; n: number }>(
      t.db,
      sql`select status, count(*)::int as n from users group by status order by status`,
    );
    const counted = await statusCounts(t.db);
    expect(exact.length).toBeGreaterThan(1);
    for (const row of exact) expect(counted[row.status as User["status"]]).toBe(Number(row.n));
    const total = Object.values(counted).reduce((a, b) => a + b, 0);
    expect(total).toBe(exact.reduce((a, r) => a + Number(r.n), 0));
  });
});

/**
 * The figure "Concurrency on PostgreSQL": 50 clients, each transaction on its own connection, at
 * the same 200 users (bench/concurrency.ts runs it for 30 s).
 */
describe.runIf(process.env.TEST_DATABASE_URL)("50 clients racing on PostgreSQL", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase("postgres", 50);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("loses no update, applies nothing twice, audits every change, orphans no record, keeps the counts table exact", async () => {
    const report = await raceActions(t.db, { clients: 50, seconds: 5, users: 200 });
    expect(report.errors).toEqual([]);
    expect(report.calls).toBeGreaterThan(50);
    expect(report.applied).toBeGreaterThan(20);
    expect(report.auditEvents).toBe(report.applied);
    expect(report.brokenTrails).toEqual([]);
    expect(report.orphanRecords).toBe(0);
    expect(report.recordsAfter).toBe(report.recordsBefore);
    expect(report.chainBreaks).toBe(0);
    expect(report.countMismatches).toEqual([]);

    // The check can fail: one stray delta is named.
    await t.db.execute(sql`insert into user_status_counts (status, n) values ('inactive', 1)`);
    expect(await statusCountMismatches(t.db)).toEqual([
      expect.objectContaining({ status: "inactive" }),
    ]);
    await t.db.execute(sql`insert into user_status_counts (status, n) values ('inactive', -1)`);
    expect(await statusCountMismatches(t.db)).toEqual([]);
  });
});
