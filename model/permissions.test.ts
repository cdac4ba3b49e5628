import { describe, expect, it } from "vitest";
import { can, may, rank, rankRefusal, rolesBelow } from "./permissions";

describe("rank rules", () => {
  const owner = { id: "o", role: "owner" as const };
  const admin = { id: "a", role: "admin" as const };
  const admin2 = { id: "a2", role: "admin" as const };
  const manager = { id: "m", role: "manager" as const };
  const support = { id: "s", role: "support" as const };
  const member = { id: "u", role: "member" as const };

  it("orders roles owner > admin > manager > support > member", () => {
    expect([owner, admin, manager, support, member].map((p) => rank(p.role))).toEqual([
      4, 3, 2, 1, 0,
    ]);
  });
  it("refuses acting on yourself, on the owner, and on equal or higher rank", () => {
    expect(rankRefusal(admin, admin)).toBe("self");
    expect(rankRefusal(admin, owner)).toBe("owner");
    expect(rankRefusal(admin, admin2)).toBe("rank");
    expect(rankRefusal(support, manager)).toBe("rank");
    expect(rankRefusal(owner, owner)).toBe("self");
  });
  it("lets the owner act on admins, and anyone act on lower ranks", () => {
    expect(rankRefusal(owner, admin)).toBeNull();
    expect(rankRefusal(admin, manager)).toBeNull();
    expect(rankRefusal(support, member)).toBeNull();
  });
  it("gives members no console and managers no destructive verbs", () => {
    expect(can("member", "console.access")).toBe(false);
    expect(can("manager", "users.approve")).toBe(true);
    expect(can("manager", "users.archive")).toBe(false);
    expect(can("support", "users.restore")).toBe(true);
    expect(can("support", "users.deactivate")).toBe(false);
  });

  it("lets the system act on everyone but the owner, with every permission", () => {
    const system = { system: "Policy: suspension ends" } as const;
    expect(rankRefusal(system, owner)).toBe("owner");
    for (const target of [admin, manager, support, member]) {
      expect(rankRefusal(system, target)).toBeNull();
    }
    expect(may(system, "users.delete")).toBe(true);
    expect(may(support, "users.delete")).toBe(false);
  });
});

describe("grantable roles", () => {
  it("are strictly below the giver's rank, and never the owner's", () => {
    expect(rolesBelow("owner")).toEqual(["admin", "manager", "support", "member"]);
    expect(rolesBelow("admin")).toEqual(["manager", "support", "member"]);
    expect(rolesBelow("manager")).toEqual(["support", "member"]);
    expect(rolesBelow("member")).toEqual([]);
  });
});
