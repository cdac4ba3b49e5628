import { describe, expect, it } from "vitest";
import type { UserRole, UserStatus } from "@/db/schema";
import { LIFECYCLE, VERB_NAMES } from "./lifecycle";
import { conflictMessage, seatRefusal, transferRefusal } from "./refusals";
import { type LoadedTarget, planAction, skipCode } from "./testing/reference-planner";
import { SKIP_REASONS } from "./verb-types";

let n = 0;
function target(role: UserRole, status: UserStatus, previousStatus: UserStatus | null = null) {
  n++;
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
  return { id, name: `User ${n}`, email: `u${n}@x.test`, role, status, previousStatus };
}

const admin = { id: "00000000-0000-4000-8000-aaaaaaaaaaaa", role: "admin" as const };

describe("planAction", () => {
  it("changes the targets in a from-status and skips the others with the reason", () => {
    const active = target("member", "active");
    const invited = target("member", "invited");
    const archived = target("member", "archived", "active");
    const plan = planAction({
      actor: admin,
      action: "deactivate",
      targets: [active, invited, archived],
    });
    expect(plan.changes.map((c) => [c.id, c.to])).toEqual([
      [active.id, "inactive"],
      [invited.id, "inactive"],
    ]);
    expect(plan.skipped).toEqual([
      { id: archived.id, name: archived.name, code: "status", reason: SKIP_REASONS.status },
    ]);
    expect(plan.seatsNeeded).toBe(0);
    expect(plan.conflicts).toBe(0);
  });

  it("skips the actor, the owner and anyone of equal or higher rank, before looking at status", () => {
    const self = { ...target("admin", "active"), id: admin.id };
    const owner = target("owner", "active");
    const peer = target("admin", "active");
    const manager = target("manager", "active");
    const plan = planAction({
      actor: admin,
      action: "archive",
      targets: [self, owner, peer, manager],
    });
    expect(plan.skipped.map((s) => s.code)).toEqual(["self", "owner", "rank"]);
    expect(plan.changes.map((c) => c.id)).toEqual([manager.id]);
    const byOwner = planAction({
      actor: { id: owner.id, role: "owner" },
      action: "archive",
      targets: [peer],
    });
    expect(byOwner.changes.map((c) => c.id)).toEqual([peer.id]);
  });

  it("reports a conflict when the status differs from the one the viewer saw, and unknown ids as not found", () => {
    const moved = target("member", "inactive");
    const same = target("member", "active");
    const missing = "00000000-0000-4000-8000-ffffffffffff";
    const plan = planAction({
      actor: admin,
      action: "deactivate",
      targets: [moved, same],
      requested: [
        { id: moved.id, expectedStatus: "active" },
        { id: same.id, expectedStatus: "active" },
        { id: missing, expectedStatus: "active" },
      ],
    });
    expect(plan.changes.map((c) => c.id)).toEqual([same.id]);
    expect(plan.skipped.map((s) => [s.id, s.code, s.name])).toEqual([
      [moved.id, "conflict", moved.name],
      [missing, "notFound", null],
    ]);
    expect(plan.conflicts).toBe(1);
  });

  it("is idempotent: a target already in the destination status is skipped", () => {
    const done = target("member", "archived", "active");
    const plan = planAction({
      actor: admin,
      action: "archive",
      targets: [done],
      requested: [{ id: done.id, expectedStatus: "active" }],
    });
    expect(plan.changes).toEqual([]);
    expect(plan.skipped[0]?.code).toBe("conflict");
  });

  it("restores to the previous status, or invited with sendInvitation, counting the seats that takes", () => {
    const wasActive = target("member", "archived", "active");
    const wasInactive = target("member", "archived", "inactive");
    const unknown = target("member", "archived", null);
    const plain = planAction({
      actor: admin,
      action: "restore",
      targets: [wasActive, wasInactive, unknown],
    });
    expect(plain.changes.map((c) => c.to)).toEqual(["active", "inactive", "inactive"]);
    expect(plain.seatsNeeded).toBe(1);
    const invite = planAction({
      actor: admin,
      action: "restore",
      targets: [wasActive, wasInactive],
      options: { sendInvitation: true },
    });
    expect(invite.changes.map((c) => c.to)).toEqual(["invited", "invited"]);
    expect(invite.seatsNeeded).toBe(2);
  });

  it("counts a seat for every target entering invited/active, for each action of the table", () => {
    for (const action of VERB_NAMES) {
      const targets = LIFECYCLE[action].from.map((s) => target("member", s, "active"));
      const plan = planAction({ actor: admin, action, targets });
      const gaining = plan.changes.filter(
        (c) =>
          !["invited", "active"].includes(c.status) &&
          c.to !== null &&
          ["invited", "active"].includes(c.to),
      ).length;
      expect(plan.seatsNeeded, action).toBe(gaining);
      if (plan.seatsNeeded > 0) expect(LIFECYCLE[action].needsSeat, action).toBe(true);
    }
  });
});

describe("skipCode", () => {
  it("support may act on members only", () => {
    const support = { id: admin.id, role: "support" as const };
    const member: LoadedTarget = target("member", "inactive");
    const manager: LoadedTarget = target("manager", "inactive");
    expect(skipCode(support, "reactivate", member)).toBeNull();
    expect(skipCode(support, "reactivate", manager)).toBe("rank");
  });
});

describe("refusals", () => {
  it("seats: the whole action is refused when short, with how many are needed and free", () => {
    expect(seatRefusal(1, 1)).toBeNull();
    expect(seatRefusal(3, 1)).toMatch(/^Needs 3 seats; 1 free\./);
    expect(seatRefusal(1, 0)).toMatch(/^Needs 1 seat; 0 free\./);
  });

  it("conflict message counts users", () => {
    expect(conflictMessage(2)).toBe("2 users were changed by someone else. Review and try again.");
    expect(conflictMessage(1)).toBe("1 user was changed by someone else. Review and try again.");
  });

  it("transfer: needs a new owner who is an active admin or the owner, outside the selection", () => {
    const base = { changingIds: new Set(["a"]), verb: "Archive" };
    expect(
      transferRefusal({ ...base, ownersCount: 0, newOwnerId: undefined, newOwner: null }),
    ).toBeNull();
    expect(
      transferRefusal({ ...base, ownersCount: 2, newOwnerId: undefined, newOwner: null }),
    ).toMatch(/2 users own records: choose a new owner/);
    expect(
      transferRefusal({
        ...base,
        ownersCount: 1,
        newOwnerId: "a",
        newOwner: { id: "a", role: "admin", status: "active" },
      }),
    ).toMatch(/can't be one of the users you archive/);
    for (const o of [
      { id: "b", role: "manager" as const, status: "active" as const },
      { id: "b", role: "admin" as const, status: "inactive" as const },
      null,
    ]) {
      expect(transferRefusal({ ...base, ownersCount: 1, newOwnerId: "b", newOwner: o })).toMatch(
        /must be an active admin or the workspace owner/,
      );
    }
    for (const role of ["admin", "owner"] as const) {
      expect(
        transferRefusal({
          ...base,
          ownersCount: 1,
          newOwnerId: "b",
          newOwner: { id: "b", role, status: "active" },
        }),
      ).toBeNull();
    }
  });
});
