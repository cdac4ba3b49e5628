import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import type { User } from "@/db/schema";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "@/db/testing";
import { applyLifecycleAction, previewLifecycleAction } from "@/lib/lifecycle/apply";
import { seatsUsed } from "./queries";
import { selectionSchema } from "./selection";
import {
  addOwnerAndAdmins,
  addRecords,
  addUsers,
  asActor,
  auditFor,
  parseInput,
  run,
  selectionOf,
  snapshot,
  usersById,
} from "./testing/fixtures";
import { DELETE_NOT_CONFIRMED, permissionError } from "./transitions";
import { SKIP_REASONS } from "./verb-types";
import { lifecycleInputSchema } from "./verbs/input";

const MISSING = "00000000-0000-4000-8000-000000000000";

async function ownerOf(t: TestDatabase, table: "projects" | "automations", ids: string[]) {
  return queryRows<{ owner_id: string; n: number }>(
    t.db,
    sql`select owner_id, count(*)::int as n from ${sql.raw(table)}
        where owner_id in (${sql.join(
          ids.map((id) => sql`${id}::uuid`),
          sql`, `,
        )}) group by owner_id order by owner_id`,
  );
}

describe.each(TEST_DRIVERS)("transitions on %s", (driver) => {
  let t: TestDatabase;
  let owner: User;
  let admin: User;
  let admin2: User;

  beforeAll(async () => {
    t = await createTestDatabase(driver);
    [owner, admin, admin2] = await addOwnerAndAdmins(t.db);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("bulk with mixed targets: changes the right ones, skips the rest with reasons, one audit event per change", async () => {
    const [active, invited, inactive, manager, moved] = await addUsers(t.db, [
      { status: "active" },
      { status: "invited" },
      { status: "inactive" },
      { role: "manager", status: "active" },
      { status: "inactive" },
    ]);
    const targets = [active, invited, inactive, manager, moved, owner, admin, admin2] as User[];
    const selection = selectionOf(targets);
    if (selection.kind !== "ids") throw new Error("ids");
    // The viewer saw `moved` as active: someone deactivated them since.
    selection.targets[4] = { id: (moved as User).id, expectedStatus: "active" };
    selection.targets.push({ id: MISSING, expectedStatus: "active" });
    const before = await usersById(
      t.db,
      targets.map((u) => u.id),
    );

    const result = await run(
      t.db,
      asActor(admin),
      "deactivate",
      {
        selection,
        reason: "Left the company",
      },
      { requestId: "req-bulk-1" },
    );

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.done).toBe(3);
    expect(result.changed.map((c) => c.id).sort()).toEqual(
      [active, invited, manager].map((u) => (u as User).id).sort(),
    );
    expect(result.changed.every((c) => c.status === "inactive")).toBe(true);
    const codes = Object.fromEntries(result.skipped.map((s) => [s.id, s.code]));
    expect(codes).toEqual({
      [(inactive as User).id]: "status",
      [(moved as User).id]: "conflict",
      [owner.id]: "owner",
      [admin.id]: "self",
      [admin2.id]: "rank",
      [MISSING]: "notFound",
    });
    for (const s of result.skipped) expect(s.reason).toBe(SKIP_REASONS[s.code]);

    const after = await usersById(
      t.db,
      targets.map((u) => u.id),
    );
    for (const u of targets) {
      const b = before.get(u.id) as User;
      const a = after.get(u.id) as User;
      if (result.changed.some((c) => c.id === u.id)) {
        expect(a.status).toBe("inactive");
        expect(a.sessionVersion).toBe(b.sessionVersion + 1);
        expect(a.statusChangedBy).toBe(admin.id);
        expect(a.statusChangedAt).not.toBeNull();
      } else {
        expect(a).toEqual(b);
      }
    }
    const audit = await auditFor(
      t.db,
      targets.map((u) => u.id),
    );
    expect(audit).toHaveLength(3);
    for (const row of audit) {
      expect(row).toMatchObject({
        actor_id: admin.id,
        action: "deactivate",
        to_status: "inactive",
        reason: "Left the company",
        request_id: "req-bulk-1",
        records_moved: null,
      });
      expect(row.from_status).toBe(before.get(row.target_id as string)?.status);
    }
  });

  it("is idempotent: the same call again changes nothing and writes no second audit event", async () => {
    const targets = await addUsers(t.db, [{ status: "active" }, { status: "active" }]);
    const input = { selection: selectionOf(targets) };
    const first = await run(t.db, asActor(admin), "archive", input);
    expect(first).toMatchObject({ ok: true, done: 2 });
    const state = await snapshot(t.db);
    const second = await run(t.db, asActor(admin), "archive", input);
    expect(second).toMatchObject({ ok: true, done: 0 });
    if (second.ok) expect(second.skipped.map((s) => s.code)).toEqual(["conflict", "conflict"]);
    expect(await snapshot(t.db)).toEqual(state);
    expect(
      await auditFor(
        t.db,
        targets.map((u) => u.id),
      ),
    ).toHaveLength(2);
  });

  it('onConflict "abort": one stale target means nothing changes', async () => {
    const [a, b, c] = (await addUsers(t.db, [
      { status: "active" },
      { status: "inactive" },
      { status: "inactive" },
    ])) as [User, User, User];
    const state = await snapshot(t.db);
    const result = await run(t.db, asActor(admin), "deactivate", {
      selection: {
        kind: "ids",
        targets: [
          { id: a.id, expectedStatus: "active" },
          { id: b.id, expectedStatus: "active" },
          { id: c.id, expectedStatus: "active" },
        ],
      },
      onConflict: "abort",
    });
    expect(result).toEqual({
      ok: false,
      conflict: true,
      error: "2 users were changed by someone else. Review and try again.",
    });
    expect(await snapshot(t.db)).toEqual(state);
  });

  it("archive moves every record to the new owner in the same transaction and remembers the status", async () => {
    const [leaver, other, plain] = (await addUsers(t.db, [
      { status: "active" },
      { status: "inactive" },
      { status: "invited" },
    ])) as [User, User, User];
    await addRecords(t.db, leaver.id, { project: 3, automation: 2 });
    await addRecords(t.db, other.id, { project: 1 });
    const result = await run(t.db, asActor(admin), "archive", {
      selection: selectionOf([leaver, other, plain]),
      newOwnerId: admin2.id,
    });
    expect(result).toMatchObject({ ok: true, done: 3 });
    expect(await ownerOf(t, "projects", [leaver.id, other.id])).toEqual([]);
    expect(await ownerOf(t, "automations", [leaver.id, other.id])).toEqual([]);
    const after = await usersById(t.db, [leaver.id, other.id, plain.id]);
    expect(after.get(leaver.id)).toMatchObject({ status: "archived", previousStatus: "active" });
    expect(after.get(other.id)).toMatchObject({ status: "archived", previousStatus: "inactive" });
    expect(after.get(plain.id)).toMatchObject({ status: "archived", previousStatus: "invited" });
    const audit = new Map(
      (await auditFor(t.db, [leaver.id, other.id, plain.id])).map((r) => [r.target_id, r]),
    );
    expect(audit.get(leaver.id)?.records_moved).toEqual({
      newOwnerId: admin2.id,
      project: 3,
      automation: 2,
    });
    expect(audit.get(other.id)?.records_moved).toEqual({ newOwnerId: admin2.id, project: 1 });
    expect(audit.get(plain.id)?.records_moved).toBeNull();
  });

  it("archive of record owners is refused without a valid new owner, and changes nothing", async () => {
    const [leaver, manager, inactiveAdmin] = (await addUsers(t.db, [
      { status: "active" },
      { role: "manager", status: "active" },
      { role: "admin", status: "inactive" },
    ])) as [User, User, User];
    await addRecords(t.db, leaver.id, { project: 1, automation: 1 });
    const state = await snapshot(t.db);
    const cases: [string | undefined, RegExp][] = [
      [undefined, /1 user owns records: choose a new owner/],
      [leaver.id, /can't be one of the users you archive/],
      [manager.id, /must be an active admin or the workspace owner/],
      [inactiveAdmin.id, /must be an active admin or the workspace owner/],
      [MISSING, /must be an active admin or the workspace owner/],
    ];
    for (const [newOwnerId, message] of cases) {
      const result = await run(t.db, asActor(admin), "archive", {
        selection: selectionOf([leaver]),
        newOwnerId,
      });
      expect(result.ok, String(newOwnerId)).toBe(false);
      if (!result.ok) expect(result.error).toMatch(message);
    }
    expect(await snapshot(t.db)).toEqual(state);
    // The owner may take records over too.
    const ok = await run(t.db, asActor(admin), "archive", {
      selection: selectionOf([leaver]),
      newOwnerId: owner.id,
    });
    expect(ok).toMatchObject({ ok: true, done: 1 });
    expect((await ownerOf(t, "projects", [owner.id]))[0]?.n).toBeGreaterThanOrEqual(1);
  });

  it("restore returns each user to the status they were archived from", async () => {
    const [wasActive, wasInactive, wasInvited, wasPending] = (await addUsers(t.db, [
      { status: "active" },
      { status: "inactive" },
      { status: "invited" },
      { status: "pending" },
    ])) as [User, User, User, User];
    const all = [wasActive, wasInactive, wasInvited, wasPending];
    expect(
      await run(t.db, asActor(admin), "archive", { selection: selectionOf(all) }),
    ).toMatchObject({
      ok: true,
      done: 4,
    });
    const archived = [
      ...(
        await usersById(
          t.db,
          all.map((u) => u.id),
        )
      ).values(),
    ];
    const result = await run(t.db, asActor(admin), "restore", { selection: selectionOf(archived) });
    expect(result).toMatchObject({ ok: true, done: 4 });
    const after = await usersById(
      t.db,
      all.map((u) => u.id),
    );
    for (const u of all) expect(after.get(u.id)?.status).toBe(u.status);
    const audit = await auditFor(t.db, [wasPending.id]);
    expect(audit.map((r) => [r.action, r.from_status, r.to_status])).toEqual([
      ["archive", "pending", "archived"],
      ["restore", "archived", "pending"],
    ]);
  });

  it("restore with sendInvitation makes them invited and sends an invitation; notify sends a notice", async () => {
    const [a, b] = (await addUsers(t.db, [
      { status: "archived", previousStatus: "active" },
      { status: "archived", previousStatus: "inactive" },
    ])) as [User, User];
    const result = await run(t.db, asActor(admin), "restore", {
      selection: selectionOf([a]),
      // The invitation is the notice: no second email.
      options: { sendInvitation: true, notify: true },
    });
    expect(result).toMatchObject({ ok: true, done: 1, changed: [{ id: a.id, status: "invited" }] });
    const inv = await queryRows<{ user_id: string; kind: string; to_email: string }>(
      t.db,
      sql`select i.user_id, o.kind, o.to_email from invitations i join outbox o on o.user_id = i.user_id
          where i.user_id = ${a.id}::uuid and i.used_at is null`,
    );
    expect(inv).toEqual([{ user_id: a.id, kind: "invitation", to_email: a.email }]);

    const notified = await run(t.db, asActor(admin), "restore", {
      selection: selectionOf([b]),
      options: { notify: true },
    });
    expect(notified).toMatchObject({ ok: true, changed: [{ id: b.id, status: "inactive" }] });
    const mail = await queryRows<{ kind: string }>(
      t.db,
      sql`select kind from outbox where user_id = ${b.id}::uuid`,
    );
    expect(mail.map((m) => m.kind)).toEqual(["restored"]);
  });

  it("deactivate with notify queues a notice, and ends any open invitation link", async () => {
    const [invitee] = (await addUsers(t.db, [{ status: "inactive" }])) as [User];
    expect(
      await run(t.db, asActor(admin), "reinvite", { selection: selectionOf([invitee]) }),
    ).toMatchObject({ ok: true, done: 1, changed: [{ id: invitee.id, status: "inactive" }] });
    const audit = await auditFor(t.db, [invitee.id]);
    expect(audit.map((r) => [r.action, r.from_status, r.to_status])).toEqual([
      ["reinvite", "inactive", "inactive"],
    ]);
    // Re-invite leaves the status alone.
    expect((await usersById(t.db, [invitee.id])).get(invitee.id)?.status).toBe("inactive");
    const open = sql`select count(*)::int as n from invitations
      where user_id = ${invitee.id}::uuid and used_at is null and expires_at > now()`;
    expect((await queryRows<{ n: number }>(t.db, open))[0]?.n).toBe(1);

    // Re-invited, then the admin changes their mind: the user is invited, now deactivated.
    const [fresh] = (await addUsers(t.db, [{ status: "invited" }])) as [User];
    await run(t.db, asActor(admin), "reinvite", { selection: selectionOf([fresh]) });
    const result = await run(t.db, asActor(admin), "deactivate", {
      selection: selectionOf([fresh]),
      options: { notify: true },
    });
    expect(result).toMatchObject({ ok: true, done: 1 });
    const mail = await queryRows<{ kind: string }>(
      t.db,
      sql`select kind from outbox where user_id = ${fresh.id}::uuid order by id`,
    );
    expect(mail.map((m) => m.kind)).toEqual(["invitation", "deactivated"]);
    const stillOpen = sql`select count(*)::int as n from invitations
      where user_id = ${fresh.id}::uuid and used_at is null and expires_at > now()`;
    expect((await queryRows<{ n: number }>(t.db, stillOpen))[0]?.n).toBe(0);
  });

  it("reactivate notifies only when asked, with a link to sign in", async () => {
    const [quiet, told] = (await addUsers(t.db, [
      { status: "inactive" },
      { status: "inactive" },
    ])) as [User, User];
    const kinds = async (id: string) =>
      (
        await queryRows<{ kind: string; subject: string; body: string }>(
          t.db,
          sql`select kind, subject, body from outbox where user_id = ${id}::uuid order by id`,
        )
      ).map((m) => m.kind);
    expect(
      await run(t.db, asActor(admin), "reactivate", { selection: selectionOf([quiet]) }),
    ).toMatchObject({ ok: true, done: 1 });
    expect(await kinds(quiet.id)).toEqual([]);
    expect(
      await run(t.db, asActor(admin), "reactivate", {
        selection: selectionOf([told]),
        options: { notify: true },
      }),
    ).toMatchObject({ ok: true, done: 1, changed: [{ id: told.id, status: "active" }] });
    const [mail] = await queryRows<{ kind: string; subject: string; body: string }>(
      t.db,
      sql`select kind, subject, body from outbox where user_id = ${told.id}::uuid`,
    );
    expect(mail).toMatchObject({
      kind: "reactivated",
      subject: "Your Roster account has been reactivated",
    });
    expect(mail?.body).toContain("/sign-in");
  });

  it("seats: a seat-using action that doesn't fit is refused whole, with how many are needed", async () => {
    const targets = await addUsers(t.db, [
      { status: "inactive" },
      { status: "inactive" },
      { status: "inactive" },
    ]);
    const used = await seatsUsed(t.db);
    const state = await snapshot(t.db);
    const refused = await run(
      t.db,
      asActor(admin),
      "reactivate",
      { selection: selectionOf(targets) },
      { seatLimit: used + 1 },
    );
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error).toMatch(/^Needs 3 seats; 1 free\./);
    expect(await snapshot(t.db)).toEqual(state);
    const fits = await run(
      t.db,
      asActor(admin),
      "reactivate",
      { selection: selectionOf(targets) },
      { seatLimit: used + 3 },
    );
    expect(fits).toMatchObject({ ok: true, done: 3 });
    expect(await seatsUsed(t.db)).toBe(used + 3);
  });

  it("seats: restoring to inactive takes no seat; with sendInvitation it does", async () => {
    const [u] = (await addUsers(t.db, [{ status: "archived", previousStatus: "inactive" }])) as [
      User,
    ];
    const used = await seatsUsed(t.db);
    const refused = await run(
      t.db,
      asActor(admin),
      "restore",
      { selection: selectionOf([u]), options: { sendInvitation: true } },
      { seatLimit: used },
    );
    expect(refused).toMatchObject({ ok: false });
    const ok = await run(
      t.db,
      asActor(admin),
      "restore",
      { selection: selectionOf([u]) },
      { seatLimit: used },
    );
    expect(ok).toMatchObject({ ok: true, changed: [{ id: u.id, status: "inactive" }] });
  });

  it("works on every user matching a view's filter, less the excluded ones", async () => {
    const tag = `Filtertag${Date.now()}`;
    const targets = (await addUsers(t.db, [
      { name: `${tag} One`, status: "pending" },
      { name: `${tag} Two`, status: "pending" },
      { name: `${tag} Three`, status: "pending" },
      { name: `${tag} Four`, status: "active" },
    ])) as [User, User, User, User];
    const result = await run(t.db, asActor(admin), "reject", {
      selection: {
        kind: "filter",
        filter: {
          tab: "pending",
          q: tag,
          roles: [],
          neverSignedIn: false,
          lastSignInBefore: null,
          accessEnding: false,
        },
        excludeIds: [targets[1].id],
      },
    });
    expect(result).toMatchObject({ ok: true, done: 2, skipped: [] });
    const after = await usersById(
      t.db,
      targets.map((u) => u.id),
    );
    expect(targets.map((u) => after.get(u.id)?.status)).toEqual([
      "rejected",
      "pending",
      "rejected",
      "active",
    ]);
  });

  it("delete permanently: needs the typed word, moves records, erases the rows and what hangs on them", async () => {
    const [gone, keep] = (await addUsers(t.db, [{ status: "inactive" }, { status: "active" }])) as [
      User,
      User,
    ];
    await addRecords(t.db, gone.id, { project: 2 });
    await t.db.execute(
      sql`insert into user_notes (user_id, body) values (${gone.id}::uuid, 'note')`,
    );
    const state = await snapshot(t.db);
    for (const confirm of [undefined, "", "delete", "DELETE!", "Delete", " DELETE"]) {
      // Straight to the pipeline: it checks the options itself, whoever calls it.
      const refused = await applyLifecycleAction(t.db, {
        actor: asActor(admin),
        action: "delete",
        input: {
          ...parseInput("archive", { selection: selectionOf([gone]), newOwnerId: admin2.id }),
          options: { confirm } as never,
        },
        seatLimit: 1000,
      });
      expect(refused).toEqual({ ok: false, error: DELETE_NOT_CONFIRMED });
    }
    expect(await snapshot(t.db)).toEqual(state);
    const result = await run(t.db, asActor(admin), "delete", {
      selection: selectionOf([gone, keep]),
      newOwnerId: admin2.id,
      options: { confirm: "DELETE" },
    });
    expect(result).toMatchObject({ ok: true, done: 2 });
    if (result.ok) expect(result.changed.every((c) => c.status === null)).toBe(true);
    expect((await usersById(t.db, [gone.id, keep.id])).size).toBe(0);
    const notes = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from user_notes where user_id = ${gone.id}::uuid`,
    );
    expect(notes[0]?.n).toBe(0);
    const audit = await auditFor(t.db, [gone.id]);
    expect(audit).toEqual([
      expect.objectContaining({
        action: "delete",
        from_status: "inactive",
        to_status: null,
        records_moved: { newOwnerId: admin2.id, project: 2 },
      }),
    ]);
  });

  it("a failure after the records move, or after the status change, leaves nothing changed", async () => {
    const [leaver] = (await addUsers(t.db, [{ status: "active" }])) as [User];
    await addRecords(t.db, leaver.id, { project: 2, automation: 1 });
    for (const hook of ["afterTransfer", "afterStatus"] as const) {
      const state = await snapshot(t.db);
      await expect(
        run(
          t.db,
          asActor(admin),
          "archive",
          { selection: selectionOf([leaver]), newOwnerId: admin2.id },
          {
            hooks: {
              [hook]: () => {
                throw new Error(`injected ${hook}`);
              },
            },
          },
        ),
      ).rejects.toThrow(`injected ${hook}`);
      expect(await snapshot(t.db)).toEqual(state);
    }
    for (const hook of ["afterTransfer", "afterStatus"] as const) {
      const state = await snapshot(t.db);
      await expect(
        run(
          t.db,
          asActor(admin),
          "delete",
          {
            selection: selectionOf([leaver]),
            newOwnerId: admin2.id,
            options: { confirm: "DELETE" },
          },
          {
            hooks: {
              [hook]: () => {
                throw new Error(`injected ${hook}`);
              },
            },
          },
        ),
      ).rejects.toThrow(`injected ${hook}`);
      expect(await snapshot(t.db)).toEqual(state);
    }
  });

  it("refuses an actor without the permission, whatever the targets", async () => {
    const [support, member] = (await addUsers(t.db, [
      { role: "support", status: "active" },
      { status: "active" },
    ])) as [User, User];
    const state = await snapshot(t.db);
    const result = await run(t.db, asActor(support), "archive", {
      selection: selectionOf([member]),
    });
    expect(result).toEqual({ ok: false, error: permissionError("archive") });
    expect(await snapshot(t.db)).toEqual(state);
  });

  it("bad input: malformed payloads never parse; unknown ids are skipped as not found", async () => {
    for (const bad of [
      { selection: { kind: "ids", targets: [{ id: "not-a-uuid", expectedStatus: "active" }] } },
      { selection: { kind: "ids", targets: [] } },
      { selection: { kind: "ids", targets: [{ id: MISSING, expectedStatus: "gone" }] } },
      { selection: { kind: "everyone" } },
      { selection: selectionOf([admin2]), newOwnerId: "bob" },
      { selection: selectionOf([admin2]), reason: "x".repeat(501) },
      null,
      "archive",
    ]) {
      const input =
        bad && typeof bad === "object" ? { action: "archive", options: {}, ...bad } : bad;
      expect(lifecycleInputSchema.safeParse(input).success, JSON.stringify(bad)).toBe(false);
    }
    const state = await snapshot(t.db);
    const result = await run(t.db, asActor(admin), "archive", {
      selection: { kind: "ids", targets: [{ id: MISSING, expectedStatus: "active" }] },
    });
    expect(result).toEqual({
      ok: true,
      action: "archive",
      done: 0,
      changed: [],
      skipped: [{ id: MISSING, name: null, code: "notFound", reason: SKIP_REASONS.notFound }],
      skippedCount: 1,
      skippedByReason: { notFound: 1 },
    });
    expect(await snapshot(t.db)).toEqual(state);
  });

  it("the audit is append-only: UPDATE and DELETE are refused by the database", async () => {
    const [u] = (await addUsers(t.db, [{ status: "active" }])) as [User];
    await run(t.db, asActor(admin), "deactivate", { selection: selectionOf([u]) });
    await expect(
      t.db.execute(
        sql`update audit_events set reason = 'rewritten' where target_id = ${u.id}::uuid`,
      ),
    ).rejects.toThrow();
    await expect(
      t.db.execute(sql`delete from audit_events where target_id = ${u.id}::uuid`),
    ).rejects.toThrow();
    expect(await auditFor(t.db, [u.id])).toHaveLength(1);
  });

  it("preview: the same plan as apply, with ownership per user and seats", async () => {
    const [leaver, plain, peer] = (await addUsers(t.db, [
      { status: "active" },
      { status: "active" },
      { role: "admin", status: "active" },
    ])) as [User, User, User];
    await addRecords(t.db, leaver.id, { project: 2, automation: 1 });
    const selection = selectionSchema.parse(selectionOf([leaver, plain, peer]));
    const preview = await previewLifecycleAction(t.db, {
      actor: asActor(admin),
      action: "archive",
      selection,
      limit: 50,
      seatLimit: 10,
    });
    expect(preview).toMatchObject({
      ok: true,
      willChangeCount: 2,
      skippedCount: 1,
      skipped: [{ id: peer.id, code: "rank" }],
      ownership: [{ userId: leaver.id, name: leaver.name, project: 2, automation: 1 }],
      seats: null,
      blocked: null,
    });
    const [inactive] = (await addUsers(t.db, [{ status: "inactive" }])) as [User];
    const used = await seatsUsed(t.db);
    const seatPreview = await previewLifecycleAction(t.db, {
      actor: asActor(admin),
      action: "reactivate",
      selection: selectionSchema.parse(selectionOf([inactive])),
      limit: 50,
      seatLimit: used,
    });
    expect(seatPreview).toMatchObject({ ok: true, seats: { needed: 1, free: 0 } });
    if (seatPreview.ok) expect(seatPreview.blocked).toMatch(/^Needs 1 seat; 0 free\./);
    const denied = await previewLifecycleAction(t.db, {
      actor: { id: MISSING, role: "manager" },
      action: "archive",
      selection,
      limit: 50,
      seatLimit: 10,
    });
    expect(denied).toEqual({ ok: false, error: permissionError("archive") });
  });
});
