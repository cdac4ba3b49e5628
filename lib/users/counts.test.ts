import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { USER_STATUSES, type User } from "@/db/schema";
import { resetWorkspace, seedLargeWorkspace } from "@/db/seed-large";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "@/db/testing";
import { seedDemo } from "@/lib/demo";
import { seatsUsed, statusCounts, tabCounts } from "./queries";
import { addRecords, addUsers, asActor, run, selectionOf } from "./testing/fixtures";
import type { VerbResult } from "./verb-types";

/** count(*) by status, the slow way: what the counts table must always equal. */
async function recount(t: TestDatabase): Promise<Record<string, number>> {
  const rows = await queryRows<{ status: string; n: number }>(
    t.db,
    sql`select status, count(*)::int as n from users group by status`,
  );
  const out: Record<string, number> = Object.fromEntries(USER_STATUSES.map((s) => [s, 0]));
  for (const r of rows) out[r.status] = Number(r.n);
  return out;
}

describe.each(TEST_DRIVERS)("users per status, kept by triggers, on %s", (driver) => {
  let t: TestDatabase;
  let owner: User;
  let admin: User;

  async function expectExact() {
    expect(await statusCounts(t.db)).toEqual(await recount(t));
  }

  beforeAll(async () => {
    t = await createTestDatabase(driver);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("starts at zero and follows inserts", async () => {
    await expectExact();
    [owner, admin] = (await addUsers(t.db, [{ role: "owner" }, { role: "admin" }])) as [User, User];
    await addUsers(t.db, [
      { status: "active" },
      { status: "invited" },
      { status: "pending" },
      { status: "pending" },
      { status: "inactive" },
    ]);
    await expectExact();
    const counts = await recount(t);
    expect(counts.pending).toBe(2);
    const seats = (counts.active ?? 0) + (counts.invited ?? 0);
    expect(await seatsUsed(t.db)).toBe(seats);
    expect((await tabCounts(t.db)).active).toBe(seats);
  });

  it("follows every lifecycle action, single and bulk, and deletes", async () => {
    const targets = await addUsers(
      t.db,
      Array.from({ length: 12 }, (_, i) => ({
        status: (["active", "invited", "pending", "inactive"] as const)[i % 4],
      })),
    );
    await addRecords(t.db, targets[0]?.id ?? "", { project: 1 });
    const actor = asActor(admin);
    const byStatus = (s: User["status"]) => targets.filter((u) => u.status === s);
    // Each step must really change someone, or an equal count would prove nothing.
    const changed = async (result: Promise<VerbResult>) => {
      const r = await result;
      expect(r.ok && r.changed.length).toBeGreaterThan(0);
    };

    await changed(run(t.db, actor, "deactivate", { selection: selectionOf(byStatus("active")) }));
    await expectExact();
    await changed(
      run(t.db, actor, "reject", { selection: selectionOf(byStatus("pending").slice(0, 1)) }),
    );
    await expectExact();
    await changed(
      run(t.db, actor, "approve", { selection: selectionOf(byStatus("pending").slice(1)) }),
    );
    await expectExact();
    await changed(
      run(t.db, actor, "archive", {
        selection: selectionOf(byStatus("invited")),
        newOwnerId: owner.id,
      }),
    );
    await expectExact();
    // A filter selection ("all N matching"): every inactive user at once.
    await changed(
      run(t.db, actor, "reactivate", {
        selection: {
          kind: "filter",
          filter: {
            tab: "inactive",
            q: "",
            roles: [],
            neverSignedIn: false,
            lastSignInBefore: null,
            accessEnding: false,
          },
          excludeIds: [],
        },
      }),
    );
    await expectExact();
    const archived = await queryRows<{ id: string }>(
      t.db,
      sql`select id from users where status = 'archived'`,
    );
    await changed(
      run(t.db, actor, "restore", {
        selection: {
          kind: "ids",
          targets: archived.map((a) => ({ id: a.id, expectedStatus: "archived" as const })),
        },
      }),
    );
    await expectExact();
    const deletable = await queryRows<{ id: string; status: User["status"] }>(
      t.db,
      sql`select id, status from users where role = 'member' order by id limit 3`,
    );
    await changed(
      run(t.db, actor, "delete", {
        selection: {
          kind: "ids",
          targets: deletable.map((d) => ({ id: d.id, expectedStatus: d.status })),
        },
        newOwnerId: owner.id,
        options: { confirm: "DELETE" },
      }),
    );
    await expectExact();
  });

  it("follows raw statements of any other code path: accept, sign-in, delete, in a rollback too", async () => {
    const [invited] = await addUsers(t.db, [{ status: "invited" }]);
    // Accepting an invitation is an UPDATE like this one.
    await t.db.execute(
      sql`update users set status = 'active', status_changed_by = id where id = ${invited?.id}::uuid`,
    );
    await expectExact();
    // A sign-in changes no status: nothing is written to the counts table.
    const [{ n: before }] = (await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from user_status_counts`,
    )) as [{ n: number }];
    await t.db.execute(sql`update users set last_sign_in_at = now()`);
    const [{ n: after }] = (await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from user_status_counts`,
    )) as [{ n: number }];
    expect(after).toBe(before);
    await expectExact();
    await expect(
      t.db.transaction(async (tx) => {
        await tx.execute(sql`update users set status = 'archived' where role = 'member'`);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    await expectExact();
    await t.db.execute(sql`delete from users where status = 'rejected'`);
    await expectExact();
  });

  it("stays exact when the deltas are folded together (more than 64 statements)", async () => {
    for (let i = 0; i < 40; i++) {
      const [u] = await addUsers(t.db, [{ status: "pending" }]);
      await t.db.execute(sql`update users set status = 'rejected' where id = ${u?.id}::uuid`);
    }
    await expectExact();
    const [{ n }] = (await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from user_status_counts`,
    )) as [{ n: number }];
    // Folded: far fewer rows than the 80 changes made.
    expect(n).toBeLessThanOrEqual(65 + USER_STATUSES.length);
  });

  it("follows a reset (TRUNCATE), the demo seed and the large seed", async () => {
    await resetWorkspace(t.db);
    await expectExact();
    expect(await seatsUsed(t.db)).toBe(0);
    await seedDemo(t.db);
    await expectExact();
    await seedLargeWorkspace(t.db, { users: 1_500, chunkSize: 400 });
    await expectExact();
    const total = Object.values(await statusCounts(t.db)).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(1_500);
  });
});
