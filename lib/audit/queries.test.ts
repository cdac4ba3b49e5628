import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, automations, projects, users } from "@/db/schema";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "@/db/testing";
import { ownedRecordsSummary, userDetail } from "@/lib/users/detail";
import { auditActionOptions, listAuditEvents } from "./queries";
import {
  AUDIT_DEFAULTS,
  type AuditView,
  auditActionLabel,
  auditActionPast,
  auditViewQuery,
  parseAuditView,
} from "./view";

const view = (v: Partial<AuditView>): AuditView => ({ ...AUDIT_DEFAULTS, ...v });

describe("audit view in the URL", () => {
  it("reads every filter and falls back on malformed values", () => {
    expect(
      parseAuditView(
        new URLSearchParams(
          "actor=adam&action=archive&target=dora&from=2024-05-01&to=2024-05-31&page=3&size=100",
        ),
      ),
    ).toEqual({
      actor: "adam",
      action: "archive",
      target: "dora",
      from: "2024-05-01",
      to: "2024-05-31",
      cursor: null,
      page: 3,
      size: 100,
    });
    expect(
      parseAuditView({
        action: "DROP TABLE",
        from: "yesterday",
        to: "2024-13-45",
        page: "-2",
        size: "7",
      }),
    ).toEqual(AUDIT_DEFAULTS);
  });

  it("writes a short query that reads back the same", () => {
    expect(auditViewQuery({})).toBe("");
    const v = view({ actor: "a b", action: "delete", from: "2024-01-01", page: 2 });
    expect(parseAuditView(new URLSearchParams(auditViewQuery(v).slice(1)))).toEqual(v);
  });

  it("names actions with the menus' verbs", () => {
    expect(auditActionLabel("delete")).toBe("Delete permanently");
    expect(auditActionLabel("accept-invitation")).toBe("Accept invitation");
    expect(auditActionLabel("something-new")).toBe("Something new");
    expect(auditActionPast("archive")).toBe("Archived");
  });
});

describe.each(TEST_DRIVERS)("audit queries on %s", (driver) => {
  let t: TestDatabase;
  const ids: Record<"adam" | "maya" | "dora" | "ned" | "gone", string> = {
    adam: "",
    maya: "",
    dora: "",
    ned: "",
    gone: randomUUID(),
  };

  beforeAll(async () => {
    t = await createTestDatabase(driver);
    const inserted = await t.db
      .insert(users)
      .values([
        { name: "Adam Admin", email: "adam@ex.test", role: "admin", status: "active" },
        { name: "Maya Manager", email: "maya@ex.test", role: "manager", status: "active" },
        { name: "Dora Departing", email: "dora@ex.test", status: "archived" },
        { name: "Ned Newowner", email: "ned@ex.test", role: "admin", status: "active" },
      ])
      .returning({ id: users.id, email: users.email });
    for (const u of inserted) {
      const key = u.email.split("@")[0] as keyof typeof ids;
      ids[key] = u.id;
    }
    const at = (iso: string) => new Date(iso);
    await t.db.insert(auditEvents).values([
      {
        at: at("2024-05-01T09:00:00Z"),
        actorId: ids.adam,
        action: "deactivate",
        targetId: ids.dora,
        fromStatus: "active",
        toStatus: "inactive",
        reason: "On leave",
      },
      {
        at: at("2024-05-02T23:59:59Z"),
        actorId: ids.maya,
        action: "reactivate",
        targetId: ids.dora,
        fromStatus: "inactive",
        toStatus: "active",
      },
      {
        at: at("2024-05-03T00:00:00Z"),
        actorId: ids.adam,
        action: "archive",
        targetId: ids.dora,
        fromStatus: "active",
        toStatus: "archived",
        recordsMoved: { newOwnerId: ids.ned, project: 3, automation: 2 },
        reason: "Left the company",
      },
      // An actor who was deleted since, acting on someone else; and a system event.
      {
        at: at("2024-05-04T12:00:00Z"),
        actorId: ids.gone,
        action: "approve",
        targetId: ids.maya,
        fromStatus: "pending",
        toStatus: "active",
      },
      {
        at: at("2024-05-05T12:00:00Z"),
        actorId: null,
        action: "accept-invitation",
        targetId: ids.ned,
        fromStatus: "invited",
        toStatus: "active",
      },
      // A deleted target: the event keeps only the id.
      {
        at: at("2024-05-06T12:00:00Z"),
        actorId: ids.adam,
        action: "delete",
        targetId: ids.gone,
        fromStatus: "archived",
        toStatus: null,
      },
    ]);
    await t.db.insert(projects).values(
      Array.from({ length: 25 }, (_, i) => ({
        name: `Project ${String(i).padStart(2, "0")}`,
        ownerId: ids.dora,
      })),
    );
    await t.db.insert(automations).values([
      { name: "Weekly digest", ownerId: ids.dora },
      { name: "Invoice reminders", ownerId: ids.dora },
    ]);
  });
  afterAll(async () => {
    await t?.close();
  });

  const actions = async (v: Partial<AuditView>) =>
    (await listAuditEvents(t.db, view(v))).rows.map((r) => r.action);

  it("lists every event newest first, with the total", async () => {
    const { rows, total } = await listAuditEvents(t.db, view({}));
    expect(total).toBe(6);
    expect(rows.map((r) => r.action)).toEqual([
      "delete",
      "accept-invitation",
      "approve",
      "archive",
      "reactivate",
      "deactivate",
    ]);
  });

  it("pages on the server", async () => {
    const first = await listAuditEvents(t.db, view({ size: 25 }));
    expect(first.rows).toHaveLength(6);
    const page2 = await listAuditEvents(t.db, { ...view({}), size: 4, page: 2 });
    expect(page2.total).toBe(6);
    expect(page2.rows.map((r) => r.action)).toEqual(["reactivate", "deactivate"]);
  });

  it("names actors and targets, and keeps deleted ones as ids without a name", async () => {
    const { rows } = await listAuditEvents(t.db, view({}));
    const approve = rows.find((r) => r.action === "approve");
    expect(approve?.actor).toEqual({ id: ids.gone, name: null, email: null });
    expect(approve?.target?.name).toBe("Maya Manager");
    const deleted = rows.find((r) => r.action === "delete");
    expect(deleted?.target).toEqual({ id: ids.gone, name: null, email: null });
    expect(deleted?.actor?.name).toBe("Adam Admin");
    expect(rows.find((r) => r.action === "accept-invitation")?.actor).toBeNull();
  });

  it("says how many records moved, per kind, and to whom", async () => {
    const { rows } = await listAuditEvents(t.db, view({ action: "archive" }));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.recordsMoved).toEqual({
      counts: { project: 3, automation: 2 },
      newOwner: { id: ids.ned, name: "Ned Newowner", email: "ned@ex.test" },
    });
    expect(rows[0]?.reason).toBe("Left the company");
    expect(rows[0]?.fromStatus).toBe("active");
    expect(rows[0]?.toStatus).toBe("archived");
  });

  it("filters by actor name, email or id", async () => {
    expect(await actions({ actor: "adam" })).toEqual(["delete", "archive", "deactivate"]);
    expect(await actions({ actor: "MAYA@EX" })).toEqual(["reactivate"]);
    expect(await actions({ actor: ids.gone })).toEqual(["approve"]);
    expect(await actions({ actor: ids.maya.toUpperCase() })).toEqual(["reactivate"]);
    expect(await actions({ actor: "nobody" })).toEqual([]);
    expect(await actions({ actor: "%" })).toEqual([]);
  });

  it("filters by target name, email or id", async () => {
    expect(await actions({ target: "dora" })).toEqual(["archive", "reactivate", "deactivate"]);
    expect(await actions({ target: "ned@" })).toEqual(["accept-invitation"]);
    expect(await actions({ target: ids.gone })).toEqual(["delete"]);
  });

  it("filters by action", async () => {
    expect(await actions({ action: "reactivate" })).toEqual(["reactivate"]);
    expect(await actions({ action: "restore" })).toEqual([]);
  });

  it("filters by a date range, both days included (UTC)", async () => {
    expect(await actions({ from: "2024-05-02", to: "2024-05-03" })).toEqual([
      "archive",
      "reactivate",
    ]);
    expect(await actions({ to: "2024-05-01" })).toEqual(["deactivate"]);
    expect(await actions({ from: "2024-05-06" })).toEqual(["delete"]);
    expect(await actions({ from: "2024-05-07" })).toEqual([]);
  });

  it("combines filters", async () => {
    const { rows, total } = await listAuditEvents(
      t.db,
      view({ actor: "adam", target: "dora", from: "2024-05-02" }),
    );
    expect(total).toBe(1);
    expect(rows.map((r) => r.action)).toEqual(["archive"]);
  });

  it("offers every lifecycle action and every other action the log holds", async () => {
    const options = await auditActionOptions(t.db);
    const values = options.map((o) => o.value);
    for (const a of ["deactivate", "restore", "delete", "accept-invitation"]) {
      expect(values).toContain(a);
    }
    expect(new Set(values).size).toBe(values.length);
    expect(options.find((o) => o.value === "delete")?.label).toBe("Delete permanently");
  });

  it("finds a user's profile, and nothing for unknown or malformed ids", async () => {
    const dora = await userDetail(t.db, ids.dora);
    expect(dora?.name).toBe("Dora Departing");
    expect(dora?.status).toBe("archived");
    expect(await userDetail(t.db, randomUUID())).toBeNull();
    expect(await userDetail(t.db, "not-a-uuid")).toBeNull();
    expect(await userDetail(t.db, "'; drop table users; --")).toBeNull();
  });

  it("summarises owned records per kind, with the first names", async () => {
    const owned = await ownedRecordsSummary(t.db, ids.dora);
    expect(owned.map((o) => [o.kind, o.count, o.records.length])).toEqual([
      ["project", 25, 20],
      ["automation", 2, 2],
    ]);
    expect(owned[0]?.records[0]?.name).toBe("Project 00");
    expect(owned[0]?.records[19]?.name).toBe("Project 19");
    expect(owned[1]?.records.map((r) => r.name)).toEqual(["Invoice reminders", "Weekly digest"]);
    expect(await ownedRecordsSummary(t.db, ids.adam)).toEqual([
      { kind: "project", count: 0, records: [] },
      { kind: "automation", count: 0, records: [] },
    ]);
  });
});
