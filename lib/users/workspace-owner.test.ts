import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import type { User } from "@/db/schema";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "@/db/testing";
import { addOwnerAndAdmins, addUser, asActor } from "./testing/fixtures";
import { TRANSFER_WORKSPACE_REFUSALS, transferWorkspaceOwnership } from "./workspace-owner";

describe.each(TEST_DRIVERS)("transfer workspace ownership on %s", (driver) => {
  let t: TestDatabase;
  let owner: User;
  let admin: User;
  let other: User;

  beforeAll(async () => {
    t = await createTestDatabase(driver);
    [owner, admin, other] = await addOwnerAndAdmins(t.db);
  });
  afterAll(async () => {
    await t?.close();
  });

  const roles = async () =>
    Object.fromEntries(
      (
        await queryRows<{ id: string; role: string }>(
          t.db,
          sql`select id, role from users where role in ('owner', 'admin') order by id`,
        )
      ).map((r) => [r.id, r.role]),
    );
  const transfer = (actor: User, newOwnerEmail: string) =>
    transferWorkspaceOwnership(t.db, {
      actor: asActor(actor),
      newOwnerEmail,
      requestId: "test",
      now: new Date(),
    });

  it("is refused to anyone but the owner, for anyone but an active admin, and changes nothing", async () => {
    const manager = await addUser(t.db, { role: "manager", status: "active" });
    const gone = await addUser(t.db, { role: "admin", status: "inactive" });
    const before = await roles();
    expect(await transfer(admin, other.email)).toEqual({
      ok: false,
      error: TRANSFER_WORKSPACE_REFUSALS.notOwner,
    });
    for (const email of [manager.email, gone.email, "nobody@example.test", ""]) {
      expect(await transfer(owner, email)).toEqual({
        ok: false,
        error: TRANSFER_WORKSPACE_REFUSALS.mismatch,
      });
    }
    expect(await transfer(owner, owner.email)).toEqual({
      ok: false,
      error: TRANSFER_WORKSPACE_REFUSALS.self,
    });
    expect(await roles()).toEqual(before);
  });

  it("the owner hands over to an admin and becomes an admin, audited with the roles", async () => {
    expect(await transfer(owner, admin.email.toUpperCase())).toEqual({
      ok: true,
      newOwnerId: admin.id,
    });
    const now = await roles();
    expect(now[owner.id]).toBe("admin");
    expect(now[admin.id]).toBe("owner");
    expect(Object.values(now).filter((r) => r === "owner")).toHaveLength(1);
    const [event] = await queryRows<{
      action: string;
      actor_id: string;
      target_id: string;
      records_moved: unknown;
    }>(
      t.db,
      sql`select action, actor_id, target_id, records_moved from audit_events where action = 'transfer-workspace'`,
    );
    expect(event).toEqual({
      action: "transfer-workspace",
      actor_id: owner.id,
      target_id: admin.id,
      records_moved: { roles: { [owner.id]: ["owner", "admin"], [admin.id]: ["admin", "owner"] } },
    });
    // The former owner is an admin now: they can't do it again.
    expect(await transfer(owner, other.email)).toMatchObject({ ok: false });
  });
});
