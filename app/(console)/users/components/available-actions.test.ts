import { describe, expect, it } from "vitest";
import type { UserRole } from "@/db/schema";
import { LIFECYCLE } from "@/lib/users/lifecycle";
import * as available from "./available-actions";

// The table the console layout hands to the browser, as the components receive it.
const rules = LIFECYCLE;
const actionsForRow = (...a: DropFirst<Parameters<typeof available.actionsForRow>>) =>
  available.actionsForRow(rules, ...a);
const actionsForRows = (...a: DropFirst<Parameters<typeof available.actionsForRows>>) =>
  available.actionsForRows(rules, ...a);
const actionsForTab = (...a: DropFirst<Parameters<typeof available.actionsForTab>>) =>
  available.actionsForTab(rules, ...a);
type DropFirst<T extends unknown[]> = T extends [unknown, ...infer R] ? R : never;

const actor = (role: UserRole) => ({ id: `actor-${role}`, role });
const user = (
  status: Parameters<typeof actionsForRow>[1]["status"],
  role: UserRole = "member",
) => ({
  id: `target-${status}-${role}`,
  role,
  status,
});

describe("what the row menu offers", () => {
  it("an admin, on an active member: deactivate, suspend, schedule deactivation, send a password reset, change role, archive, delete", () => {
    expect(actionsForRow(actor("admin"), user("active"))).toEqual([
      "deactivate",
      "suspend",
      "scheduleDeactivation",
      "sendPasswordReset",
      "changeRole",
      "archive",
      "delete",
    ]);
  });

  it("an admin, on a pending member: approve, reject, archive, delete", () => {
    expect(actionsForRow(actor("admin"), user("pending"))).toEqual([
      "archive",
      "approve",
      "reject",
      "delete",
    ]);
  });

  it("a manager approves and rejects, and nothing else", () => {
    expect(actionsForRow(actor("manager"), user("pending"))).toEqual(["approve", "reject"]);
    expect(actionsForRow(actor("manager"), user("rejected"))).toEqual(["approve"]);
    expect(actionsForRow(actor("manager"), user("active"))).toEqual([]);
    expect(actionsForRow(actor("manager"), user("inactive"))).toEqual([]);
  });

  it("support restores, reactivates, re-invites and sends password resets only", () => {
    expect(actionsForRow(actor("support"), user("archived"))).toEqual(["restore"]);
    expect(actionsForRow(actor("support"), user("inactive"))).toEqual(["reactivate", "reinvite"]);
    expect(actionsForRow(actor("support"), user("invited"))).toEqual(["reinvite"]);
    expect(actionsForRow(actor("support"), user("active"))).toEqual(["sendPasswordReset"]);
  });

  it("nobody acts on themselves, on the owner, or on their rank or above", () => {
    const admin = actor("admin");
    expect(actionsForRow(admin, { ...admin, status: "active" })).toEqual([]);
    expect(actionsForRow(admin, user("active", "owner"))).toEqual([]);
    expect(actionsForRow(admin, user("active", "admin"))).toEqual([]);
    expect(actionsForRow(actor("owner"), user("active", "admin"))).toContain("archive");
    expect(actionsForRow(actor("owner"), user("active", "admin"))).toContain("changeRole");
    expect(actionsForRow(actor("manager"), user("active", "member"))).not.toContain("changeRole");
    expect(actionsForRow(actor("manager"), user("pending", "manager"))).toEqual([]);
  });
});

describe("what the bulk bar offers", () => {
  it("nothing, with why, when no checked row has an action: each reason once", () => {
    const me = actor("admin");
    const self = { ...user("active", "admin"), id: me.id };
    expect(available.noBulkActionsReason(me, [self])).toBe(
      "No action you can take on this user. That's you: nobody acts on their own account.",
    );
    expect(
      available.noBulkActionsReason(me, [
        self,
        user("active", "admin"),
        user("inactive", "admin"),
        user("active", "owner"),
      ]),
    ).toBe(
      "No action you can take on the checked users. That's you: nobody acts on their own account. Ranks the same as or above you. The workspace owner can't be changed.",
    );
    expect(actionsForRows(me, [self, user("active", "admin")])).toEqual([]);
  });

  it("the union over the checked rows, in lifecycle order", () => {
    expect(actionsForRows(actor("admin"), [user("inactive"), user("archived")])).toEqual([
      "reactivate",
      "reinvite",
      "changeRole",
      "archive",
      "restore",
      "delete",
    ]);
  });

  it("for 'all matching', what the role may do to the tab's statuses", () => {
    expect(actionsForTab("admin", "archived")).toEqual(["restore", "delete"]);
    expect(actionsForTab("support", "active")).toEqual(["reinvite", "sendPasswordReset"]);
    expect(actionsForTab("manager", "pending")).toEqual(["approve", "reject"]);
    expect(actionsForTab("member", "pending")).toEqual([]);
  });
});
