import { sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import type { User } from "@/db/schema";
import { createTestDatabase, type TestDatabase } from "@/db/testing";
import { verifyAuditChain } from "@/lib/audit/chain";
import { addRecords, addUsers, asActor, run, selectionOf, snapshot } from "./testing/fixtures";
import type { TransitionHooks } from "./transitions";

const STEPS: (keyof TransitionHooks)[] = ["afterLock", "afterTransfer", "afterStatus"];

/**
 * The figure "Faults": the database connection is killed (pg_terminate_backend, as a server
 * restart or a network cut would) at each step of a bulk archive with transfer.
 */
describe.runIf(process.env.TEST_DATABASE_URL)("connection killed mid-action on PostgreSQL", () => {
  let t: TestDatabase;
  let killer: pg.Client;

  beforeAll(async () => {
    // One connection: the one the action runs on is the one killed.
    t = await createTestDatabase("postgres", 1);
    killer = new pg.Client({ connectionString: t.url as string });
    await killer.connect();
  });
  afterAll(async () => {
    await killer?.end();
    await t?.close();
  });

  async function killOthers() {
    await killer.query(
      `select pg_terminate_backend(pid) from pg_stat_activity
       where datname = current_database() and pid <> pg_backend_pid()`,
    );
  }

  it.each(STEPS)(
    "killed %s: nothing of the archive or its transfer is left, and a retry applies it once",
    async (step) => {
      const [admin, heir] = (await addUsers(t.db, [{ role: "admin" }, { role: "admin" }])) as [
        User,
        User,
      ];
      const leavers = await addUsers(
        t.db,
        Array.from({ length: 40 }, () => ({ status: "active" as const })),
      );
      for (const u of leavers.slice(0, 10))
        await addRecords(t.db, u.id, { project: 2, automation: 1 });
      const before = await snapshot(t.db);

      const input = { selection: selectionOf(leavers), newOwnerId: heir.id };
      const killed = await run(t.db, asActor(admin), "archive", input, {
        hooks: { [step]: killOthers },
      }).then(
        (r) => r,
        (error: unknown) => error,
      );
      expect(killed).toBeInstanceOf(Error);
      // The pool opens a new connection for what follows.
      expect(await snapshot(t.db)).toEqual(before);

      const retried = await run(t.db, asActor(admin), "archive", input);
      expect(retried).toMatchObject({ ok: true, done: 40 });
      const [moved] = await queryRows<{ left: number; heir: number; events: number }>(
        t.db,
        sql`select
            (select count(*)::int from projects where owner_id in (${sql.join(
              leavers.map((u) => sql`${u.id}::uuid`),
              sql`, `,
            )})) as left,
            (select count(*)::int from projects where owner_id = ${heir.id}::uuid)
              + (select count(*)::int from automations where owner_id = ${heir.id}::uuid) as heir,
            (select count(*)::int from audit_events where action = 'archive' and actor_id = ${admin.id}::uuid) as events`,
      );
      expect(moved).toEqual({ left: 0, heir: 30, events: 40 });
      expect((await verifyAuditChain(t.db)).breaks).toEqual([]);
    },
  );
});
