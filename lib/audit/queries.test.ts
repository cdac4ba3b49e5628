import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { auditEvents, automations, projects, users } from "@/db/schema";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "@/db/testing";
import { ownedRecordsSummary, userDetail } from "@/lib/users/detail";
import { auditActionOptions, auditLog, listAuditEvents } from "./queries";
import {
  AUDIT_DEFAULTS,
  type AuditView,
  auditActionLabel,
  auditActionPast,
  auditViewQuery,
  parseAuditView,
  personFilterOf,
  personIdFilter,
} from "./view";

const view = (v: Partial<AuditView>): AuditView => ({ ...AUDIT_DEFAULTS, ...v });

describe("audit view in the URL", () => {
  it("reads every filter and falls back on malformed values", () => {
    expect(
      parseAuditView(
        new URLSearchParams(
          "actor=adam&action=archive&target=dora&reason=Contract+ended&from=2024-05-01&to=2024-05-31&cursor=abc&size=100",
        ),
      ),
    ).toEqual({
      actor: "adam",
      action: "archive",
      target: "dora",
      reason: "Contract ended",
      from: "2024-05-01",
      to: "2024-05-31",
      cursor: "abc",
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

  it("reads one person's id as id:<uuid>, and refuses a malformed one", () => {
    const id = randomUUID();
    expect(parseAuditView(new URLSearchParams(`actor=id:${id.toUpperCase()}`)).actor).toBe(
      `id:${id}`,
    );
    expect(parseAuditView(new URLSearchParams(`target=ID:${id}`)).target).toBe(`id:${id}`);
    for (const bad of ["id:", "id:nope", `id:${id}x`, "id:'; drop table users; --"]) {
      expect(parseAuditView(new URLSearchParams({ actor: bad })).actor, bad).toBe("");
    }
    expect(auditViewQuery({ actor: personIdFilter(id) })).toBe(`?actor=id:${id}`);
    expect(personFilterOf(`id:${id}`)).toEqual({ id });
    expect(personFilterOf(id.toUpperCase())).toEqual({ id });
    expect(personFilterOf("ava")).toEqual({ text: "ava" });
  });

  it("writes a short query that reads back the same", () => {
    expect(auditViewQuery({})).toBe("");
    const v = view({ actor: "a b", action: "delete", from: "2024-01-01", cursor: "last" });
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
    expect(total).toEqual({ n: 6, capped: false });
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
    const page1 = await listAuditEvents(t.db, view({ size: 4 }));
    expect(page1.prev).toBeNull();
    const page2 = await listAuditEvents(t.db, view({ size: 4, cursor: page1.next ?? "" }));
    expect(page2.total).toEqual({ n: 6, capped: false });
    expect(page2.rows.map((r) => r.action)).toEqual(["reactivate", "deactivate"]);
    expect(page2.next).toBeNull();
    // The position rides with the cursor: "1–4", then "5–6 of 6".
    expect([page1.start, page2.start]).toEqual([0, 4]);
    // Last is a full page of the oldest, read backwards; Previous from it reaches the start,
    // so it shows the first page.
    const all = [...page1.rows, ...page2.rows].map((r) => r.id);
    const last = await listAuditEvents(t.db, view({ size: 4, cursor: "last" }));
    expect(last.rows.map((r) => r.id)).toEqual(all.slice(-4));
    expect(last.next).toBeNull();
    expect(last.start).toBe(2);
    const back = await listAuditEvents(t.db, view({ size: 4, cursor: last.prev ?? "" }));
    expect(back.rows.map((r) => r.id)).toEqual(page1.rows.map((r) => r.id));
    // A tampered cursor is the first page, never an error.
    const bad = await listAuditEvents(t.db, view({ size: 4, cursor: "eyJ4IjoxfQ" }));
    expect(bad.rows.map((r) => r.id)).toEqual(page1.rows.map((r) => r.id));
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

  it("filters by one person's id, deleted or not, and names them for the field", async () => {
    expect(await actions({ actor: personIdFilter(ids.adam) })).toEqual([
      "delete",
      "archive",
      "deactivate",
    ]);
    const gone = await auditLog(t.db, view({ actor: personIdFilter(ids.gone) }));
    expect(gone.kind === "events" && gone.rows.map((r) => r.action)).toEqual(["approve"]);
    expect(gone.picked).toEqual({ actor: { id: ids.gone, name: null, email: null }, target: null });
    const dora = await auditLog(t.db, view({ target: personIdFilter(ids.dora) }));
    expect(dora.picked.target).toEqual({
      id: ids.dora,
      name: "Dora Departing",
      email: "dora@ex.test",
    });
    expect(await actions({ target: personIdFilter(randomUUID()) })).toEqual([]);
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
    expect(total).toEqual({ n: 1, capped: false });
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

// More people match a name filter than the 100 it may resolve to ids: the log refuses it, says how
// many people it matched and lists the first by name to pick; a picked person (by id) and a
// narrow name filter each answer exactly, count(*) of the same condition straight from the tables.
describe.each(TEST_DRIVERS)("audit name filters that match many people on %s", (driver) => {
  let t: TestDatabase;
  const PEOPLE = 130;
  /** Events "Broad Person 0" did besides the one archive every broad person did. */
  const BUSY = 150;
  let bossId = "";

  beforeAll(async () => {
    t = await createTestDatabase(driver);
    const [boss] = await t.db
      .insert(users)
      .values({ name: "Olga Owner", email: "olga@ex.test", role: "owner", status: "active" })
      .returning({ id: users.id });
    const many = await t.db
      .insert(users)
      .values(
        Array.from({ length: PEOPLE }, (_, i) => ({
          name: `Broad Person ${i}`,
          email: `broad${i}@ex.test`,
        })),
      )
      .returning({ id: users.id });
    bossId = boss?.id ?? "";
    // More people than a too-broad filter counts.
    await t.db.insert(users).values(
      Array.from({ length: 1001 }, (_, i) => ({
        name: `Wide ${String(i).padStart(4, "0")}`,
        email: `wide${i}@wide.test`,
      })),
    );
    const busy = many[0]?.id ?? "";
    await t.db.insert(auditEvents).values([
      ...many.flatMap((p, i) => [
        // Each broad person archived the boss once, and was deactivated by the boss once
        // (every third also archived).
        {
          at: new Date(Date.UTC(2024, 0, 1, 0, i)),
          actorId: p.id,
          action: "archive",
          targetId: bossId,
        },
        {
          at: new Date(Date.UTC(2024, 1, 1, 0, i)),
          actorId: bossId,
          action: "deactivate",
          targetId: p.id,
        },
        ...(i % 3 === 0
          ? [
              {
                at: new Date(Date.UTC(2024, 2, 1, 0, i)),
                actorId: bossId,
                action: "archive",
                targetId: p.id,
              },
            ]
          : []),
      ]),
      // One broad person is busy: more events than a page.
      ...Array.from({ length: BUSY }, (_, i) => ({
        at: new Date(Date.UTC(2024, 3, 1, 0, i)),
        actorId: busy,
        action: "reactivate",
        targetId: bossId,
      })),
    ]);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** count(*) of a name filter's condition, straight from the tables. */
  const expected = async (side: "actor" | "target", text: string, action?: string) => {
    const [row] = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from ${auditEvents} e join ${users} u on u.id = e.${sql.raw(`${side}_id`)}
        where (u.name || E'\\n' || u.email) ilike ${`%${text}%`}
        ${action ? sql`and e.action = ${action}` : sql``}`,
    );
    return row?.n ?? -1;
  };

  /** count(*) of one person's events on a side, straight from the table. */
  const expectedOf = async (side: "actor" | "target", id: string) => {
    const [row] = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from ${auditEvents} e where e.${sql.raw(`${side}_id`)} = ${id}`,
    );
    return row?.n ?? -1;
  };

  /** The first people by name, then id, whose name or email holds the text. */
  const firstByName = async (text: string, limit: number) =>
    queryRows<{ id: string; name: string; email: string }>(
      t.db,
      sql`select id, name, email from ${users} where (name || E'\\n' || email) ilike ${`%${text}%`}
        order by name, id limit ${limit}`,
    );

  /** Every event of a view, paged through on the server, and the total each page showed. */
  const allOf = async (v: Partial<AuditView>) => {
    const ids: number[] = [];
    const totals = new Set<number>();
    let cursor: string | null = null;
    for (let page = 0; page < 20; page++) {
      const r = await auditLog(t.db, view({ ...v, size: 100, cursor }));
      if (r.kind !== "events") throw new Error(`too broad: ${JSON.stringify(v)}`);
      ids.push(...r.rows.map((row) => row.id));
      totals.add(r.total.n);
      cursor = r.next;
      if (!cursor) break;
    }
    return { ids, totals: [...totals] };
  };

  it("refuses a broad actor filter: how many people, the first 20 by name, no events", async () => {
    const answer = await auditLog(t.db, view({ actor: "broad" }));
    expect(answer.kind).toBe("too-broad");
    expect(answer).not.toHaveProperty("rows");
    expect(answer).not.toHaveProperty("total");
    if (answer.kind !== "too-broad") return;
    const first = await firstByName("broad", 20);
    expect(answer.broad).toEqual([
      { side: "actor", text: "broad", matched: { n: PEOPLE, capped: false }, people: first },
    ]);
    // The other callers never get a subset either: they fail loudly.
    await expect(listAuditEvents(t.db, view({ actor: "broad" }))).rejects.toThrow(/too many/);
  });

  it("refuses a broad target, with an action, and a broad actor with a broad target", async () => {
    const target = await auditLog(t.db, view({ target: "BROAD", action: "archive" }));
    expect(target.kind === "too-broad" && target.broad.map((b) => [b.side, b.matched])).toEqual([
      ["target", { n: PEOPLE, capped: false }],
    ]);
    const both = await auditLog(t.db, view({ actor: "broad", target: "broad" }));
    expect(both.kind === "too-broad" && both.broad.map((b) => b.side)).toEqual(["actor", "target"]);
    // A narrow actor does not make a broad target answerable.
    const mixed = await auditLog(t.db, view({ actor: "olga", target: "broad" }));
    expect(mixed.kind === "too-broad" && mixed.broad.map((b) => b.side)).toEqual(["target"]);
  });

  it("counts a broad filter's people only so far", async () => {
    // Everyone's email holds "@ex.test": 131 people, counted exactly below the cap.
    const answer = await auditLog(t.db, view({ actor: "@ex.test" }));
    expect(answer.kind === "too-broad" && answer.broad[0]?.matched).toEqual({
      n: PEOPLE + 1,
      capped: false,
    });
  });

  it("says 'more than 1,000' past the count's cap, and still offers 20 by name", async () => {
    const answer = await auditLog(t.db, view({ target: "wide.test" }));
    if (answer.kind !== "too-broad") throw new Error("expected too broad");
    const [wide] = answer.broad;
    expect(wide?.matched).toEqual({ n: 1000, capped: true });
    const names = wide?.people.map((p) => p.name) ?? [];
    expect(names).toHaveLength(20);
    expect(names.every((n) => n.startsWith("Wide "))).toBe(true);
    expect([...names].sort()).toEqual(names);
  });

  it("a person picked from the list filters by id: every event of theirs, exactly", async () => {
    const answer = await auditLog(t.db, view({ actor: "broad" }));
    const people = answer.kind === "too-broad" ? (answer.broad[0]?.people ?? []) : [];
    const busy = people.find((p) => p.name === "Broad Person 0");
    expect(busy).toBeDefined();
    const picked = personIdFilter(busy?.id ?? "");
    const n = await expectedOf("actor", busy?.id ?? "");
    expect(n).toBe(BUSY + 1);
    const all = await allOf({ actor: picked });
    expect(all.totals).toEqual([n]);
    expect(new Set(all.ids).size).toBe(n);
    expect(all.ids).toHaveLength(n);
    // The field shows whom the id names.
    const first = await auditLog(t.db, view({ actor: picked }));
    expect(first.picked.actor).toEqual(busy);
    // As a target, with a broad actor name: still refused (the actor), never a subset.
    const asTarget = await auditLog(t.db, view({ target: picked, actor: "broad" }));
    expect(asTarget.kind).toBe("too-broad");
    const targeted = await allOf({ target: picked, actor: "olga" });
    expect(targeted.ids).toHaveLength(await expectedOf("target", busy?.id ?? ""));
  });

  it("a narrow name filter (at most 100 people) still counts and lists every event", async () => {
    // "broad person 1": 1, 10–19 and 100–129, 41 people.
    const n = await expected("actor", "broad person 1");
    expect(n).toBe(41);
    const all = await allOf({ actor: "broad person 1" });
    expect(all.totals).toEqual([n]);
    expect(new Set(all.ids).size).toBe(n);
    const targets = await expected("target", "Broad Person 1", "archive");
    const archived = await allOf({ target: "Broad Person 1", action: "archive" });
    expect(archived.totals).toEqual([targets]);
    expect(archived.ids).toHaveLength(targets);
    // The boss on the other side: every event of the boss as actor, to a narrow target.
    const mixed = await allOf({ actor: personIdFilter(bossId), target: "broad person 1" });
    expect(mixed.ids).toHaveLength(await expected("target", "broad person 1"));
  });
});
