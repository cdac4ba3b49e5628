import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import type { User } from "@/db/schema";
import { TEST_DRIVERS } from "@/db/testing";
import { useTestDatabase } from "@/db/testing-hooks";
import { verifyAuditChain } from "@/lib/audit/chain";
import { previewLifecycleAction } from "@/lib/lifecycle/apply";
import { changeSetting, SETTING_REFUSALS } from "@/lib/workspace-settings";
import {
  approveDeletionRequest,
  DELETION_REQUEST_DAYS,
  declineDeletionRequest,
  expireDeletionRequests,
  listPendingDeletionRequests,
  pendingDeletionRequests,
  REQUEST_REFUSALS,
} from "./deletion-requests";
import { addRecords, addUser, addUsers, asActor, run, selectionOf } from "./testing/fixtures";

const DAY = 86_400_000;

describe.each(TEST_DRIVERS)("four-eyes delete on %s", (driver) => {
  const t = useTestDatabase(driver, 4);
  let owner: User;
  let adminA: User;
  let adminB: User;

  beforeAll(async () => {
    [owner, adminA, adminB] = (await addUsers(t.db, [
      { role: "owner" },
      { role: "admin" },
      { role: "admin" },
    ])) as [User, User, User];
    const on = await changeSetting(t.db, {
      actor: asActor(owner),
      change: { setting: "deleteApproval", value: true },
      requestId: "test",
    });
    expect(on).toMatchObject({ ok: true, changed: true });
  });

  const exists = async (id: string) =>
    (await queryRows(t.db, sql`select 1 from users where id = ${id}::uuid`)).length === 1;
  const projectsOf = async (id: string) =>
    Number(
      (
        await queryRows<{ n: number }>(
          t.db,
          sql`select count(*)::int as n from projects where owner_id = ${id}::uuid`,
        )
      )[0]?.n,
    );
  const events = async (requestId: string) =>
    queryRows<{ action: string; actor_id: string | null; target_id: string; requested_by: string }>(
      t.db,
      sql`select action, actor_id, target_id, records_moved->>'requestedBy' as requested_by
          from audit_events where records_moved->>'deletionRequest' = ${requestId}
          order by id`,
    );
  const statusOf = async (id: string) =>
    (
      await queryRows<{ status: string }>(
        t.db,
        sql`select status from deletion_requests where id = ${id}::uuid`,
      )
    )[0]?.status;

  /** Admin A deletes these users (records to `newOwner`): the answer's request id. */
  const request = async (
    targets: User[],
    newOwner?: User,
    now?: Date,
    reason = "Left the company",
  ) => {
    const result = await run(
      t.db,
      asActor(adminA),
      "delete",
      {
        selection: selectionOf(targets),
        options: { confirm: "DELETE" },
        reason,
        ...(newOwner ? { newOwnerId: newOwner.id } : {}),
      },
      now ? { now } : {},
    );
    if (!result.ok) throw new Error(result.error);
    expect(result.done).toBe(0);
    expect(result.requested?.count).toBe(targets.length);
    const id = result.requested?.id;
    if (!id) throw new Error("no request");
    return id;
  };
  const decide = { seatLimit: 1_000_000, requestId: "test" };

  it("turns a delete into a request: nobody is deleted, the request is audited per target", async () => {
    const [x, y] = await addUsers(t.db, [{}, {}]);
    // The dialog says so before confirming.
    const preview = await previewLifecycleAction(t.db, {
      actor: asActor(adminA),
      action: "delete",
      selection: selectionOf([x as User, y as User]),
      options: { confirm: "DELETE" },
      limit: 10,
      seatLimit: 1_000_000,
    });
    expect(preview).toMatchObject({ ok: true, willChangeCount: 2, needsApproval: true });
    const id = await request([x as User, y as User]);
    expect(await exists((x as User).id)).toBe(true);
    expect(await statusOf(id)).toBe("pending");
    expect((await events(id)).map((e) => [e.action, e.actor_id])).toEqual([
      ["deletion-requested", adminA.id],
      ["deletion-requested", adminA.id],
    ]);
    const listed = (await listPendingDeletionRequests(t.db)).find((r) => r.id === id);
    expect(listed).toMatchObject({ targetCount: 2, requestedBy: { id: adminA.id } });
    expect(await pendingDeletionRequests(t.db)).toBeGreaterThanOrEqual(1);
  });

  it("an approved deletion erases the person from the request's reason too", async () => {
    const name = "Ottoline Pemberton-Quaye";
    const email = "ottoline.pq@erasure.example";
    const x = await addUser(t.db, { name, email });
    const id = await request([x], undefined, undefined, `Erasure request from ${name} (${email})`);
    expect(
      await approveDeletionRequest(t.db, {
        ...decide,
        actor: asActor(adminB),
        id,
        now: new Date(),
      }),
    ).toMatchObject({ ok: true, done: 1 });
    const [row] = await queryRows<{ reason: string | null }>(
      t.db,
      sql`select reason from deletion_requests where id = ${id}::uuid`,
    );
    expect(row?.reason).toBe("Erasure request from a former member (a former member)");
  });

  it("refuses the requester's own approval and decline, and changes nothing", async () => {
    const x = await addUser(t.db);
    const id = await request([x]);
    const now = new Date();
    expect(
      await approveDeletionRequest(t.db, { ...decide, actor: asActor(adminA), id, now }),
    ).toEqual({ ok: false, error: REQUEST_REFUSALS.own });
    expect(await declineDeletionRequest(t.db, { actor: asActor(adminA), id, now })).toEqual({
      ok: false,
      error: REQUEST_REFUSALS.own,
    });
    expect(await exists(x.id)).toBe(true);
    expect(await statusOf(id)).toBe("pending");
    expect((await events(id)).map((e) => e.action)).toEqual(["deletion-requested"]);
  });

  it("approval deletes through the pipeline as the approver, records to the owner chosen at request time", async () => {
    const x = await addUser(t.db);
    await addRecords(t.db, x.id, { project: 3 });
    const id = await request([x], owner);
    const before = await projectsOf(owner.id);
    const result = await approveDeletionRequest(t.db, {
      ...decide,
      actor: asActor(adminB),
      id,
      now: new Date(),
    });
    expect(result).toMatchObject({ ok: true, done: 1 });
    expect(await exists(x.id)).toBe(false);
    expect(await projectsOf(owner.id)).toBe(before + 3);
    expect(await statusOf(id)).toBe("approved");
    const audit = await events(id);
    expect(audit.map((e) => [e.action, e.actor_id, e.requested_by ?? null])).toEqual([
      ["deletion-requested", adminA.id, null],
      ["deletion-approved", adminB.id, adminA.id],
    ]);
    const [deleted] = await queryRows<{ actor_id: string }>(
      t.db,
      sql`select actor_id from audit_events where action = 'delete' and target_id = ${x.id}::uuid`,
    );
    expect(deleted?.actor_id).toBe(adminB.id);
    // Approved once: a second approval is refused.
    expect(
      await approveDeletionRequest(t.db, { ...decide, actor: asActor(owner), id, now: new Date() }),
    ).toEqual({ ok: false, error: REQUEST_REFUSALS.approved });
    expect((await verifyAuditChain(t.db)).breaks).toEqual([]);
  });

  it("re-checks the rules at approval: a new owner who can't take records any more refuses, nothing changes", async () => {
    const x = await addUser(t.db);
    await addRecords(t.db, x.id, { project: 1 });
    const helper = await addUser(t.db, { role: "admin" });
    const id = await request([x], helper);
    await t.db.execute(sql`update users set status = 'inactive' where id = ${helper.id}::uuid`);
    const result = await approveDeletionRequest(t.db, {
      ...decide,
      actor: asActor(adminB),
      id,
      now: new Date(),
    });
    expect(result.ok).toBe(false);
    expect(await exists(x.id)).toBe(true);
    expect(await statusOf(id)).toBe("pending");
    expect((await events(id)).map((e) => e.action)).toEqual(["deletion-requested"]);
  });

  it("decline deletes nobody, is audited, and can't be approved after", async () => {
    const x = await addUser(t.db);
    const id = await request([x]);
    expect(
      await declineDeletionRequest(t.db, { actor: asActor(owner), id, now: new Date() }),
    ).toEqual({ ok: true });
    expect(await exists(x.id)).toBe(true);
    expect(await statusOf(id)).toBe("declined");
    expect((await events(id)).map((e) => [e.action, e.actor_id])).toEqual([
      ["deletion-requested", adminA.id],
      ["deletion-declined", owner.id],
    ]);
    expect(
      await approveDeletionRequest(t.db, {
        ...decide,
        actor: asActor(adminB),
        id,
        now: new Date(),
      }),
    ).toEqual({ ok: false, error: REQUEST_REFUSALS.declined });
  });

  it(`expires a request after ${DELETION_REQUEST_DAYS} days, once, audited as the policy`, async () => {
    const x = await addUser(t.db);
    const then = new Date(Date.now() - (DELETION_REQUEST_DAYS * DAY + 60_000));
    const id = await request([x], undefined, then);
    // Not yet swept: approving it is refused all the same.
    expect(
      await approveDeletionRequest(t.db, {
        ...decide,
        actor: asActor(adminB),
        id,
        now: new Date(),
      }),
    ).toEqual({ ok: false, error: REQUEST_REFUSALS.expired });
    expect(await expireDeletionRequests(t.db)).toBeGreaterThanOrEqual(1);
    expect(await expireDeletionRequests(t.db)).toBe(0);
    expect(await statusOf(id)).toBe("expired");
    expect(await exists(x.id)).toBe(true);
    const audit = await events(id);
    expect(audit.map((e) => [e.action, e.actor_id])).toEqual([
      ["deletion-requested", adminA.id],
      ["deletion-expired", null],
    ]);
    expect((await listPendingDeletionRequests(t.db)).some((r) => r.id === id)).toBe(false);
  });

  it("two approvals at once delete once: the other is told it was approved", async () => {
    const x = await addUser(t.db);
    await addRecords(t.db, x.id, { project: 1 });
    const id = await request([x], owner);
    const now = new Date();
    // Each holds its locks a while: on PostgreSQL the other really arrives meanwhile.
    const hooks = { afterLock: () => new Promise((resolve) => setTimeout(resolve, 300)) };
    const results = await Promise.all([
      approveDeletionRequest(t.db, { ...decide, actor: asActor(adminB), id, now, hooks }),
      approveDeletionRequest(t.db, { ...decide, actor: asActor(owner), id, now, hooks }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toEqual({ ok: false, error: REQUEST_REFUSALS.approved });
    const audit = await events(id);
    expect(audit.filter((e) => e.action === "deletion-approved")).toHaveLength(1);
    const [deletes] = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from audit_events where action = 'delete' and target_id = ${x.id}::uuid`,
    );
    expect(deletes?.n).toBe(1);
  });

  it("refuses someone without the permission to delete, and a request that doesn't exist", async () => {
    const x = await addUser(t.db);
    const id = await request([x]);
    const manager = await addUser(t.db, { role: "manager" });
    expect(
      await approveDeletionRequest(t.db, {
        ...decide,
        actor: asActor(manager),
        id,
        now: new Date(),
      }),
    ).toEqual({ ok: false, error: REQUEST_REFUSALS.denied });
    expect(
      await approveDeletionRequest(t.db, {
        ...decide,
        actor: asActor(adminB),
        id: "00000000-0000-4000-8000-000000000000",
        now: new Date(),
      }),
    ).toEqual({ ok: false, error: REQUEST_REFUSALS.notFound });
    expect(await exists(x.id)).toBe(true);
  });

  it("with the setting off, a delete deletes at once; it can't go on without a second admin", async () => {
    const off = await changeSetting(t.db, {
      actor: asActor(owner),
      change: { setting: "deleteApproval", value: false },
      requestId: "test",
    });
    expect(off).toMatchObject({ ok: true, changed: true });
    const x = await addUser(t.db);
    const result = await run(t.db, asActor(adminA), "delete", {
      selection: selectionOf([x]),
      options: { confirm: "DELETE" },
    });
    expect(result).toMatchObject({ ok: true, done: 1 });
    expect(result.ok && result.requested).toBeFalsy();
    // Only one active admin or owner: nobody could approve, so it can't be turned on.
    await t.db.execute(
      sql`update users set status = 'inactive' where role in ('owner', 'admin') and id <> ${owner.id}::uuid`,
    );
    expect(
      await changeSetting(t.db, {
        actor: asActor(owner),
        change: { setting: "deleteApproval", value: true },
        requestId: "test",
      }),
    ).toEqual({ ok: false, error: SETTING_REFUSALS.noSecondAdmin });
  });
});
