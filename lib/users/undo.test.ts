import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import type { User } from "@/db/schema";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "@/db/testing";
import { LIFECYCLE } from "./lifecycle";
import {
  addOwnerAndAdmins,
  addRecords,
  addUsers,
  asActor,
  auditFor,
  run,
  selectionOf,
  snapshot,
} from "./testing/fixtures";

describe.each(TEST_DRIVERS)("undo gives records back, on %s", (driver) => {
  let t: TestDatabase;
  let admin: User;
  let heir: User;
  let owner: User;

  beforeAll(async () => {
    t = await createTestDatabase(driver);
    [owner, admin, heir] = await addOwnerAndAdmins(t.db);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function ownerOf(kind: "projects" | "automations", ownerId: string) {
    const rows = await queryRows<{ id: string }>(
      t.db,
      sql`select id from ${sql.raw(kind)} where owner_id = ${ownerId}::uuid order by id`,
    );
    return rows.map((r) => r.id);
  }

  it("undo of an archive with transfer: the user comes back and so do the records still with the new owner", async () => {
    const [leaver, other] = (await addUsers(t.db, [
      { status: "active" },
      { status: "inactive" },
    ])) as [User, User];
    await addRecords(t.db, leaver.id, { project: 2, automation: 1 });
    await addRecords(t.db, other.id, { project: 1 });
    const leaverProjects = await ownerOf("projects", leaver.id);

    const archived = await run(t.db, asActor(admin), "archive", {
      selection: selectionOf([leaver, other]),
      newOwnerId: heir.id,
    });
    expect(archived).toMatchObject({ ok: true, done: 2, changeId: expect.any(String) });
    if (!archived.ok) return;
    expect(await ownerOf("projects", heir.id)).toHaveLength(3);

    // Someone hands one of the projects on since: that one stays where it is now.
    const movedOn = leaverProjects[0] as string;
    await t.db.execute(
      sql`update projects set owner_id = ${owner.id}::uuid where id = ${movedOn}::uuid`,
    );

    const inverse = LIFECYCLE.archive.inverse;
    expect(inverse).toBe("restore");
    const undone = await run(t.db, asActor(admin), "restore", {
      selection: {
        kind: "ids",
        targets: archived.changed.map((c) => ({ id: c.id, expectedStatus: "archived" as const })),
      },
      reason: "Undo",
      undoOf: archived.changeId,
    });
    expect(undone).toMatchObject({
      ok: true,
      done: 2,
      recordsReturned: { returned: 3, stayed: 1 },
    });
    expect(await ownerOf("projects", leaver.id)).toEqual(
      leaverProjects.filter((id) => id !== movedOn),
    );
    expect(await ownerOf("automations", leaver.id)).toHaveLength(1);
    expect(await ownerOf("projects", other.id)).toHaveLength(1);
    expect(await ownerOf("projects", owner.id)).toEqual([movedOn]);
    expect(await ownerOf("projects", heir.id)).toEqual([]);

    // The audit of the undo says what came back to whom.
    const [, restoreEvent] = await auditFor(t.db, [leaver.id]);
    expect(restoreEvent).toMatchObject({
      action: "restore",
      records_moved: { newOwnerId: leaver.id, project: 1, automation: 1 },
    });

    // Once undone, twice changes nothing more.
    await run(t.db, asActor(admin), "archive", {
      selection: selectionOf([other]),
      newOwnerId: heir.id,
    });
    const before = await snapshot(t.db);
    const [otherNow] = await queryRows<{ status: "archived" }>(
      t.db,
      sql`select status from users where id = ${other.id}::uuid`,
    );
    expect(otherNow?.status).toBe("archived");
    const again = await run(t.db, asActor(admin), "restore", {
      selection: { kind: "ids", targets: [{ id: other.id, expectedStatus: "archived" }] },
      undoOf: archived.changeId,
    });
    expect(again).toMatchObject({ ok: true, done: 1, recordsReturned: { returned: 0, stayed: 0 } });
    expect(await ownerOf("projects", other.id)).toEqual([]);
    expect((await snapshot(t.db))?.audit).toBe(Number(before?.audit) + 1);
  });

  it("a plain restore (not an undo) leaves records with their new owner", async () => {
    const [leaver] = (await addUsers(t.db, [{ status: "active" }])) as [User];
    await addRecords(t.db, leaver.id, { project: 1 });
    const archived = await run(t.db, asActor(admin), "archive", {
      selection: selectionOf([leaver]),
      newOwnerId: heir.id,
    });
    expect(archived.ok).toBe(true);
    const restored = await run(t.db, asActor(admin), "restore", {
      selection: { kind: "ids", targets: [{ id: leaver.id, expectedStatus: "archived" }] },
    });
    expect(restored).toMatchObject({ ok: true, done: 1 });
    expect(restored.ok && restored.recordsReturned).toBeFalsy();
    expect(await ownerOf("projects", leaver.id)).toEqual([]);
  });

  it("only the action's inverse undoes it: another change's id, or another verb, moves nothing", async () => {
    const [leaver] = (await addUsers(t.db, [{ status: "active" }])) as [User];
    await addRecords(t.db, leaver.id, { project: 1 });
    const archived = await run(t.db, asActor(admin), "archive", {
      selection: selectionOf([leaver]),
      newOwnerId: heir.id,
    });
    if (!archived.ok) throw new Error("archive failed");
    const restored = await run(t.db, asActor(admin), "restore", {
      selection: { kind: "ids", targets: [{ id: leaver.id, expectedStatus: "archived" }] },
      undoOf: "00000000-0000-4000-8000-000000000000",
    });
    expect(restored).toMatchObject({ ok: true, recordsReturned: { returned: 0, stayed: 0 } });
    // Reactivate undoes deactivate, not archive: the archive's transfers stay put.
    await run(t.db, asActor(admin), "deactivate", {
      selection: selectionOf([leaver]),
    });
    const reactivated = await run(t.db, asActor(admin), "reactivate", {
      selection: { kind: "ids", targets: [{ id: leaver.id, expectedStatus: "inactive" }] },
      undoOf: archived.changeId,
    });
    expect(reactivated).toMatchObject({ ok: true, done: 1, recordsReturned: { returned: 0 } });
    expect(await ownerOf("projects", leaver.id)).toEqual([]);
  });
});
