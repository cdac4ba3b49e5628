import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { RECORD_KINDS, type User } from "@/db/schema";
import { resetWorkspace, seedLargeWorkspace } from "@/db/seed-large";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "@/db/testing";
import { seedDemo } from "@/lib/demo";
import { previewLifecycleAction } from "@/lib/lifecycle/apply";
import { VERB_NAMES, type Verb } from "./lifecycle";
import { RECORD_TABLES } from "./ownership";
import { addRecords, addUsers, asActor, filledOptions, parseInput, run } from "./testing/fixtures";
import { skipCode } from "./testing/reference-planner";
import type { Selection, VerbResult } from "./verb-types";
import type { UsersFilter } from "./view";

type Row = { owner_id: string; status: string | null; role: string | null } & Record<
  string,
  number | string | null
>;

/** The counts table, and the same computed the slow way from the records: they must be equal. */
async function both(t: TestDatabase): Promise<[Row[], Row[]]> {
  const kinds = sql.join(
    RECORD_KINDS.map((k) => sql`${sql.raw(k)}::int as ${sql.raw(k)}`),
    sql`, `,
  );
  const kept = await queryRows<Row>(
    t.db,
    sql`select owner_id, status::text, role::text, ${kinds} from owner_record_counts order by owner_id`,
  );
  const records = sql.join(
    RECORD_KINDS.map((k) => sql`select owner_id, ${k}::text as kind from ${RECORD_TABLES[k]}`),
    sql` union all `,
  );
  const perKind = sql.join(
    RECORD_KINDS.map((k) => sql`count(*) filter (where r.kind = ${k})::int as ${sql.raw(k)}`),
    sql`, `,
  );
  const recounted = await queryRows<Row>(
    t.db,
    sql`select r.owner_id, u.status::text, u.role::text, ${perKind}
        from (${records}) r join users u on u.id = r.owner_id
        group by r.owner_id, u.status, u.role order by r.owner_id`,
  );
  return [kept, recounted];
}

async function expectExact(t: TestDatabase) {
  const [kept, recounted] = await both(t);
  expect(kept).toEqual(recounted);
}

const WHOLE_TAB: UsersFilter = {
  tab: "active",
  q: "",
  roles: [],
  neverSignedIn: false,
  lastSignInBefore: null,
  accessEnding: false,
};

describe.each(TEST_DRIVERS)("records per owner, kept by triggers, on %s", (driver) => {
  let t: TestDatabase;
  let owner: User;
  let admin: User;

  beforeAll(async () => {
    t = await createTestDatabase(driver);
  });
  afterAll(async () => {
    await t?.close();
  });

  const changed = async (result: Promise<VerbResult>) => {
    const r = await result;
    expect(r.ok && r.done).toBeGreaterThan(0);
    return r;
  };

  it("follows inserts, a transfer, its undo, a delete with transfer and raw statements", async () => {
    [owner, admin] = (await addUsers(t.db, [{ role: "owner" }, { role: "admin" }])) as [User, User];
    const people = await addUsers(
      t.db,
      Array.from({ length: 6 }, (_, i) => ({ status: i % 2 ? "inactive" : "active" }) as const),
    );
    const [a, b, c, d] = people as [User, User, User, User];
    await addRecords(t.db, a.id, { project: 3, automation: 1 });
    await addRecords(t.db, b.id, { project: 2 });
    await addRecords(t.db, c.id, { automation: 4 });
    await addRecords(t.db, d.id, { project: 1, automation: 1 });
    await expectExact(t);
    const [kept] = await both(t);
    expect(kept.map((r) => r.owner_id).sort()).toEqual([a.id, b.id, c.id, d.id].sort());

    // Archive with transfer: the records move to the owner, the owners' rows go.
    const archived = await changed(
      run(t.db, asActor(admin), "archive", {
        selection: {
          kind: "ids",
          targets: [a, b].map((u) => ({ id: u.id, expectedStatus: u.status })),
        },
        newOwnerId: owner.id,
      }),
    );
    await expectExact(t);
    expect((await both(t))[0].find((r) => r.owner_id === owner.id)).toMatchObject({
      project: 5,
      automation: 1,
    });

    // Its Undo gives them back (and the users' status follows in the table).
    await changed(
      run(t.db, asActor(admin), "restore", {
        selection: {
          kind: "ids",
          targets: [a, b].map((u) => ({ id: u.id, expectedStatus: "archived" as const })),
        },
        undoOf: archived.ok ? archived.changeId : undefined,
      }),
    );
    await expectExact(t);
    expect((await both(t))[0].find((r) => r.owner_id === a.id)).toMatchObject({ project: 3 });

    // A status change without records moving, a role change, and a delete with transfer.
    await changed(
      run(t.db, asActor(admin), "deactivate", {
        selection: { kind: "ids", targets: [{ id: c.id, expectedStatus: c.status }] },
      }),
    );
    await t.db.execute(sql`update users set role = 'support' where id = ${d.id}::uuid`);
    await expectExact(t);
    await changed(
      run(t.db, asActor(admin), "delete", {
        selection: { kind: "ids", targets: [{ id: d.id, expectedStatus: d.status }] },
        newOwnerId: owner.id,
        options: { confirm: "DELETE" },
      }),
    );
    await expectExact(t);

    // Raw statements of any other code path: a rename writes nothing, a record deleted, a
    // rollback leaves the table as it was.
    await t.db.execute(sql`update projects set name = name || ' (renamed)'`);
    await t.db.execute(
      sql`delete from automations where id = (select id from automations where owner_id = ${c.id}::uuid limit 1)`,
    );
    await expectExact(t);
    await expect(
      t.db.transaction(async (tx) => {
        await tx.execute(sql`update projects set owner_id = ${admin.id}::uuid`);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    await expectExact(t);
    await t.db.execute(sql`update automations set owner_id = ${admin.id}::uuid`);
    await expectExact(t);
  });

  it("the preview's counts and ownership totals equal the slow way, for every action and selection shape", async () => {
    const more = await addUsers(
      t.db,
      Array.from(
        { length: 24 },
        (_, i) =>
          ({
            status: (["active", "invited", "inactive", "pending", "archived"] as const)[i % 5],
            role: (["member", "support", "manager", "admin"] as const)[i % 4],
            previousStatus: i % 5 === 4 ? "inactive" : null,
            name: i % 3 === 0 ? `Searchable ${i}` : undefined,
          }) as const,
      ),
    );
    for (const [i, u] of more.entries()) {
      if (i % 2 === 0) await addRecords(t.db, u.id, { project: (i % 3) + 1, automation: i % 2 });
    }
    await expectExact(t);
    const actor = asActor(admin);
    const all = await queryRows<User & { project: number; automation: number }>(
      t.db,
      sql`select u.id, u.role, u.status, u.name,
            (select count(*)::int from projects p where p.owner_id = u.id) as project,
            (select count(*)::int from automations a where a.owner_id = u.id) as automation
          from users u`,
    );
    const excluded = more[0]?.id as string;
    const shapes: { selection: Selection; matches: (u: User) => boolean }[] = [];
    for (const tab of ["active", "inactive", "pending", "archived"] as const) {
      const statuses = { active: ["active", "invited"], inactive: ["inactive"] }[tab as string] ?? [
        tab,
      ];
      const inTab = (u: User) => statuses.includes(u.status);
      shapes.push(
        {
          selection: { kind: "filter", filter: { ...WHOLE_TAB, tab }, excludeIds: [] },
          matches: inTab,
        },
        {
          selection: {
            kind: "filter",
            filter: { ...WHOLE_TAB, tab, roles: ["member", "admin"] },
            excludeIds: [excluded],
          },
          matches: (u) => inTab(u) && ["member", "admin"].includes(u.role) && u.id !== excluded,
        },
        {
          selection: {
            kind: "filter",
            filter: { ...WHOLE_TAB, tab, q: "Searchable" },
            excludeIds: [],
          },
          matches: (u) => inTab(u) && u.name.includes("Searchable"),
        },
      );
    }
    shapes.push({
      selection: {
        kind: "ids",
        targets: more.slice(0, 10).map((u, i) => ({
          id: u.id,
          // One seen in a status it no longer has: a conflict.
          expectedStatus: i === 3 ? "rejected" : u.status,
        })),
      },
      matches: (u) => more.slice(0, 10).some((m) => m.id === u.id),
    });

    let nonEmpty = 0;
    for (const action of VERB_NAMES as Verb[]) {
      for (const shape of shapes) {
        const preview = await previewLifecycleAction(t.db, {
          actor,
          action,
          selection: parseInput(action, {
            selection: shape.selection,
            options: filledOptions(action),
          }).selection,
          limit: 50,
          seatLimit: 1_000_000,
        });
        if (!preview.ok) throw new Error(preview.error);
        const expectedTargets = new Map(
          shape.selection.kind === "ids"
            ? shape.selection.targets.map((x) => [x.id, x.expectedStatus])
            : [],
        );
        const byReason: Record<string, number> = {};
        let willChange = 0;
        const owners = { owners: 0, project: 0, automation: 0 };
        for (const u of all.filter(shape.matches)) {
          const code = skipCode(actor, action, u, expectedTargets.get(u.id));
          if (code) byReason[code] = (byReason[code] ?? 0) + 1;
          else {
            willChange++;
            if (u.project + u.automation > 0) {
              owners.owners++;
              owners.project += u.project;
              owners.automation += u.automation;
            }
          }
        }
        const where = `${action} on ${JSON.stringify(shape.selection).slice(0, 120)}`;
        expect(preview.willChangeCount, where).toBe(willChange);
        expect(preview.skippedByReason, where).toEqual(byReason);
        if (preview.ownershipTotals) {
          expect(preview.ownershipTotals, where).toEqual(owners);
          expect(preview.ownership.length, where).toBe(owners.owners);
          if (owners.owners > 0) nonEmpty++;
        }
      }
    }
    // Totals with records to move were compared, or the loop proved nothing.
    expect(nonEmpty).toBeGreaterThan(4);
  });

  it("follows a reset (TRUNCATE), the demo seed and the large seed", async () => {
    await resetWorkspace(t.db);
    await expectExact(t);
    expect((await both(t))[0]).toEqual([]);
    await seedDemo(t.db);
    await expectExact(t);
    await seedLargeWorkspace(t.db, { users: 1_500, chunkSize: 400 });
    await expectExact(t);
    expect((await both(t))[0].length).toBeGreaterThan(100);
  });
});
