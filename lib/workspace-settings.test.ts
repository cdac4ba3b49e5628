import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import type { User } from "@/db/schema";
import { TEST_DRIVERS } from "@/db/testing";
import { useTestDatabase } from "@/db/testing-hooks";
import { DEFAULT_REASONS } from "@/model/limits";
import { settings } from "./env";
import { currentSender } from "./mail/outbox";
import { seatsUsed } from "./users/queries";
import { addOwnerAndAdmins, addUser, asActor } from "./users/testing/fixtures";
import {
  changeSetting,
  defaultOwner,
  SETTING_REFUSALS,
  type SettingChange,
  seatLimit,
  settingChangeSchema,
  workspaceSettings,
} from "./workspace-settings";

describe("what a setting may be", () => {
  const parse = (input: unknown) => settingChangeSchema.safeParse(input);
  it("takes a whole seat limit and a sender address, and nothing else", () => {
    expect(parse({ setting: "seatLimit", value: "200" })).toMatchObject({
      success: true,
      data: { value: 200 },
    });
    for (const value of ["0", "-3", "2.5", "ten", "", "10000001", null]) {
      expect(parse({ setting: "seatLimit", value }).success, String(value)).toBe(false);
    }
    for (const value of ["roster@example.com", "Roster <roster@example.com>", ""]) {
      expect(parse({ setting: "mailFrom", value }).success, value).toBe(true);
    }
    // A header can't be smuggled in, and an address is an address.
    for (const value of [
      "Roster <roster@example.com>\r\nBcc: victim@example.com",
      "roster@example.com\nBcc: x@y.z",
      "a, b <roster@example.com>",
      '"Roster" <roster@example.com>',
      "roster",
      "roster@localhost",
      "Roster <roster@example.com",
      `${"x".repeat(400)}@example.com`,
    ]) {
      expect(parse({ setting: "mailFrom", value }).success, value).toBe(false);
    }
    for (const value of ["archive", "delete"]) {
      expect(parse({ setting: "scimDelete", value }).success, value).toBe(true);
    }
    for (const value of ["member", "support", "manager"]) {
      expect(parse({ setting: "defaultRole", value }).success, value).toBe(true);
    }
    // SCIM never creates an admin or an owner, whatever is posted.
    for (const value of ["admin", "owner", "purge", "", null]) {
      expect(parse({ setting: "defaultRole", value }).success, String(value)).toBe(false);
      expect(parse({ setting: "scimDelete", value }).success, String(value)).toBe(false);
    }
    expect(parse({ setting: "defaultOwner", value: "x".repeat(400) }).success).toBe(false);
    expect(parse({ setting: "seatLimit", value: 5, extra: 1 }).success).toBe(false);
    expect(parse({ setting: "smtpUrl", value: "smtp://evil" }).success).toBe(false);
  });
});

describe.each(TEST_DRIVERS)("workspace settings on %s", (driver) => {
  const t = useTestDatabase(driver);
  let owner: User;
  let admin: User;
  let manager: User;
  let support: User;

  beforeAll(async () => {
    [owner, admin] = await addOwnerAndAdmins(t.db);
    manager = await addUser(t.db, { role: "manager" });
    support = await addUser(t.db, { role: "support" });
  });
  const change = (actor: User, input: SettingChange) =>
    changeSetting(t.db, { actor: asActor(actor), change: input, requestId: "test" });
  const events = () =>
    queryRows<{ actor_id: string; records_moved: unknown; target_id: string | null }>(
      t.db,
      sql`select actor_id, records_moved, target_id from audit_events
          where action = 'change-setting' order by id`,
    );
  const meta = () =>
    queryRows<{ key: string; value: string }>(
      t.db,
      sql`select key, value from workspace_meta where key in ('seat_limit', 'mail_from') order by key`,
    );

  it("start from the environment's values", async () => {
    expect(await workspaceSettings(t.db)).toEqual({
      seatLimit: settings().seats,
      mailFrom: settings().mailFrom ?? null,
      reasons: [...DEFAULT_REASONS],
      reasonRequired: false,
      defaultOwnerId: null,
      scimDelete: "archive",
      defaultRole: "member",
      deleteApproval: false,
    });
  });

  it("are refused to whoever may not change them, and nothing changes", async () => {
    for (const actor of [manager, support]) {
      expect(await change(actor, { setting: "mailFrom", value: "x@example.com" })).toEqual({
        ok: false,
        error: SETTING_REFUSALS.denied,
      });
    }
    expect(await change(admin, { setting: "seatLimit", value: 500 })).toEqual({
      ok: false,
      error: SETTING_REFUSALS.seatLimitOwner,
    });
    // A session that still says "owner" after the role moved on: the database decides.
    const demoted = await addUser(t.db, { role: "admin" });
    expect(
      await changeSetting(t.db, {
        actor: { id: demoted.id, role: "owner" },
        change: { setting: "seatLimit", value: 500 },
        requestId: "test",
      }),
    ).toEqual({ ok: false, error: SETTING_REFUSALS.seatLimitOwner });
    expect(await meta()).toEqual([]);
    expect(await events()).toEqual([]);
  });

  it("the owner sets the seat limit, never below the seats in use; each change is audited", async () => {
    const used = await seatsUsed(t.db);
    const low = await change(owner, { setting: "seatLimit", value: used - 1 });
    expect(low.ok).toBe(false);
    expect(!low.ok && low.error).toMatch(new RegExp(`^${used} seats are in use`));
    expect(await meta()).toEqual([]);

    expect(await change(owner, { setting: "seatLimit", value: used + 10 })).toEqual({
      ok: true,
      setting: "seatLimit",
      value: String(used + 10),
      changed: true,
    });
    expect(await seatLimit(t.db)).toBe(used + 10);
    // The same value again: nothing to save, nothing audited.
    expect(await change(owner, { setting: "seatLimit", value: used + 10 })).toMatchObject({
      ok: true,
      changed: false,
    });
    expect(await events()).toEqual([
      {
        actor_id: owner.id,
        target_id: null,
        records_moved: {
          setting: { name: "seatLimit", from: String(settings().seats), to: String(used + 10) },
        },
      },
    ]);
  });

  it("an admin sets the sender address, and clears it back to the default", async () => {
    expect(
      await change(admin, { setting: "mailFrom", value: "Roster <roster@example.com>" }),
    ).toMatchObject({ ok: true, changed: true });
    expect((await workspaceSettings(t.db)).mailFrom).toBe("Roster <roster@example.com>");
    // The mail sender's next round sends from it.
    expect(await currentSender(t.db, "smtp://relay.example.net:25")).toBe(
      "Roster <roster@example.com>",
    );
    expect(await change(admin, { setting: "mailFrom", value: "" })).toMatchObject({
      ok: true,
      changed: true,
    });
    expect((await workspaceSettings(t.db)).mailFrom).toBe(settings().mailFrom ?? null);
    expect(await currentSender(t.db, "smtp://relay.example.net:25")).toBe(
      settings().mailFrom ?? "Roster <no-reply@relay.example.net>",
    );
    const moved = (await events()).slice(-2).map((e) => e.records_moved);
    expect(moved).toEqual([
      { setting: { name: "mailFrom", from: "", to: "Roster <roster@example.com>" } },
      { setting: { name: "mailFrom", from: "Roster <roster@example.com>", to: "" } },
    ]);
  });

  it("the default owner is an active user, saved and audited by id (no address in the log)", async () => {
    const taker = await addUser(t.db, { status: "active", role: "admin" });
    const gone = await addUser(t.db, { status: "inactive", role: "admin" });
    const member = await addUser(t.db, { status: "active" });
    for (const value of [gone.email, member.email, "nobody@example.com"]) {
      const refused = await change(admin, { setting: "defaultOwner", value });
      expect(refused.ok, value).toBe(false);
      expect(!refused.ok && refused.error).toMatch(/^No active admin or owner has the email/);
    }
    expect((await workspaceSettings(t.db)).defaultOwnerId).toBeNull();
    // Any spelling of the address finds them.
    expect(
      await change(admin, { setting: "defaultOwner", value: taker.email.toUpperCase() }),
    ).toMatchObject({ ok: true, changed: true, value: taker.id });
    expect(await defaultOwner(t.db)).toEqual({
      id: taker.id,
      name: taker.name,
      email: taker.email,
    });
    // Once they leave active use, nobody takes records.
    await t.db.execute(sql`update users set status = 'inactive' where id = ${taker.id}::uuid`);
    expect(await defaultOwner(t.db)).toBeNull();
    expect(await change(admin, { setting: "defaultOwner", value: "" })).toMatchObject({
      ok: true,
      changed: true,
    });
    const moved = (await events()).slice(-2).map((e) => e.records_moved);
    expect(moved).toEqual([
      { setting: { name: "defaultOwner", from: "", to: taker.id } },
      { setting: { name: "defaultOwner", from: taker.id, to: "" } },
    ]);
    expect(JSON.stringify(moved)).not.toContain(taker.email);
  });

  it("what SCIM's DELETE does and the role it gives are an admin's choice, refused to a manager", async () => {
    expect(await change(manager, { setting: "scimDelete", value: "delete" })).toEqual({
      ok: false,
      error: SETTING_REFUSALS.denied,
    });
    expect(await change(admin, { setting: "scimDelete", value: "delete" })).toMatchObject({
      ok: true,
      changed: true,
    });
    expect(await change(owner, { setting: "defaultRole", value: "support" })).toMatchObject({
      ok: true,
      changed: true,
    });
    expect(await workspaceSettings(t.db)).toMatchObject({
      scimDelete: "delete",
      defaultRole: "support",
    });
  });
});
