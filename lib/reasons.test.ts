import { sql } from "drizzle-orm";
import nodemailer, { type Transport } from "nodemailer";
import { beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import type { User } from "@/db/schema";
import { TEST_DRIVERS } from "@/db/testing";
import { useTestDatabase } from "@/db/testing-hooks";
import { listAuditEvents } from "@/lib/audit/queries";
import { AUDIT_DEFAULTS } from "@/lib/audit/view";
import { ARCHIVED_BEFORE_SENT, deliverDueEmails } from "@/lib/mail/outbox";
import { parseCsv } from "@/lib/testing/parse-csv";
import { usersCsvStream } from "@/lib/users/export";
import { queueNotices } from "@/lib/users/invitations";
import { listUsers } from "@/lib/users/queries";
import {
  addOwnerAndAdmins,
  addUser,
  addUsers,
  asActor,
  run,
  selectionOf,
  snapshot,
} from "@/lib/users/testing/fixtures";
import { parseUsersView } from "@/lib/users/view";
import { changeSetting, settingChangeSchema, workspaceSettings } from "@/lib/workspace-settings";
import { DEFAULT_REASONS } from "@/model/limits";
import { chosenReason, pickReason, reasonListProblem } from "@/model/reasons";

describe("a workspace's list of reasons", () => {
  const parse = (value: unknown) => settingChangeSchema.safeParse({ setting: "reasons", value });
  it("takes up to 20 distinct reasons of up to 80 characters, and whether one is required", () => {
    expect(parse({ list: ["Left the company", " Other "], required: true })).toMatchObject({
      success: true,
      data: { value: { list: ["Left the company", "Other"], required: true } },
    });
    expect(parse({ list: [], required: false }).success).toBe(true);
    expect(
      parse({ list: Array.from({ length: 20 }, (_, i) => `R${i}`), required: false }).success,
    ).toBe(true);
    for (const value of [
      { list: Array.from({ length: 21 }, (_, i) => `R${i}`), required: false },
      { list: ["x".repeat(81)], required: false },
      { list: ["Other", "other"], required: false },
      { list: ["  "], required: false },
      { list: "Other", required: false },
      { list: [3], required: false },
      { list: ["Other"] },
      { list: ["Other"], required: "yes" },
      { list: ["Other"], required: false, extra: 1 },
    ]) {
      expect(parse(value).success, JSON.stringify(value)).toBe(false);
    }
  });

  it("says what is wrong in words", () => {
    expect(reasonListProblem(["x".repeat(81)])).toMatch(/80 characters/);
    expect(reasonListProblem(["A", "a"])).toBe("“a” is in the list twice.");
    expect(reasonListProblem(Array.from({ length: 22 }, (_, i) => `R${i}`))).toBe(
      "Keep the list to 20 reasons: 2 too many.",
    );
    expect(reasonListProblem([...DEFAULT_REASONS])).toBeNull();
  });

  it("puts a choice at the start of the reason, keeping what was typed after it", () => {
    const list = ["Security", "Other"];
    expect(pickReason("Security", "", list)).toBe("Security");
    expect(pickReason("Security", "a leaked password", list)).toBe("Security: a leaked password");
    expect(pickReason("Other", "Security: a leaked password", list)).toBe(
      "Other: a leaked password",
    );
    expect(chosenReason("Security: a leaked password", list)).toBe("Security");
    expect(chosenReason("Securityish", list)).toBeNull();
  });
});

describe.each(TEST_DRIVERS)("reasons and notices on %s", (driver) => {
  const t = useTestDatabase(driver);
  let owner: User;
  let admin: User;
  let support: User;

  beforeAll(async () => {
    [owner, admin] = await addOwnerAndAdmins(t.db);
    support = await addUser(t.db, { role: "support" });
  });

  const saveReasons = (actor: User, list: string[], required: boolean) =>
    changeSetting(t.db, {
      actor: asActor(actor),
      change: settingChangeSchema.parse({ setting: "reasons", value: { list, required } }),
      requestId: "test-reasons",
    });

  const outbox = (id: string) =>
    queryRows<{ kind: string; subject: string; body: string }>(
      t.db,
      sql`select kind, subject, body from outbox where user_id = ${id}::uuid order by id`,
    );

  it("are saved by an admin with their audit events, refused to support, unchanged when the same", async () => {
    const before = await snapshot(t.db);
    expect(await saveReasons(support, ["Nope"], true)).toEqual({
      ok: false,
      error: "You don't have permission to change the workspace's settings.",
    });
    expect(await snapshot(t.db)).toEqual(before);
    expect((await workspaceSettings(t.db)).reasons).toEqual([...DEFAULT_REASONS]);

    const list = ["Left the company", "Contract ended", "Security", "Other"];
    expect(await saveReasons(admin, list, false)).toMatchObject({ ok: true, changed: true });
    expect(await saveReasons(admin, list, false)).toMatchObject({ ok: true, changed: false });
    const settings = await workspaceSettings(t.db);
    expect(settings).toMatchObject({ reasons: list, reasonRequired: false });
    const events = await queryRows<{ actor_id: string; moved: unknown }>(
      t.db,
      sql`select actor_id, records_moved as moved from audit_events
          where action = 'change-setting' and request_id = 'test-reasons' order by id`,
    );
    expect(events).toEqual([
      {
        actor_id: admin.id,
        moved: {
          setting: {
            name: "reasons",
            from: DEFAULT_REASONS.join(" · "),
            to: list.join(" · "),
          },
        },
      },
    ]);
  });

  it("required: a destructive action without a reason is refused on the server, nothing changes", async () => {
    expect(await saveReasons(owner, [...DEFAULT_REASONS], true)).toMatchObject({
      ok: true,
      changed: true,
    });
    const [a, b, c, d] = await addUsers(t.db, [
      { status: "active" },
      { status: "active" },
      { status: "pending" },
      { status: "inactive" },
    ]);
    if (!a || !b || !c || !d) throw new Error("fixture");
    const before = await snapshot(t.db);
    for (const [action, target, options] of [
      ["deactivate", a, {}],
      ["archive", b, {}],
      ["reject", c, {}],
      ["delete", d, { confirm: "DELETE" }],
    ] as const) {
      const refused = await run(t.db, asActor(admin), action, {
        selection: selectionOf([target]),
        options,
        reason: "   ",
      });
      expect(refused, action).toEqual({
        ok: false,
        error: expect.stringMatching(/^Give a reason: this workspace requires one to /),
      });
    }
    expect(await snapshot(t.db)).toEqual(before);
    // A gentle one needs none; a destructive one with a reason goes through.
    expect(
      await run(t.db, asActor(admin), "reactivate", { selection: selectionOf([d]) }),
    ).toMatchObject({ ok: true, done: 1 });
    const done = await run(t.db, asActor(admin), "archive", {
      selection: selectionOf([b]),
      reason: "Contract ended",
    });
    expect(done).toMatchObject({ ok: true, done: 1 });
    expect(await saveReasons(owner, [...DEFAULT_REASONS], false)).toMatchObject({ ok: true });
    expect(
      await run(t.db, asActor(admin), "deactivate", { selection: selectionOf([a]) }),
    ).toMatchObject({ ok: true, done: 1 });
  });

  it("notify: deactivate, restore and archive email only when asked, in the same transaction", async () => {
    const people = await addUsers(t.db, [
      { status: "active" },
      { status: "active" },
      { status: "active" },
      { status: "active" },
      { status: "archived", previousStatus: "active" },
      { status: "archived", previousStatus: "inactive" },
    ]);
    const [quietD, toldD, quietA, toldA, quietR, toldR] = people as User[] as [
      User,
      User,
      User,
      User,
      User,
      User,
    ];
    const act = (action: "deactivate" | "archive" | "restore", u: User, notify: boolean) =>
      run(t.db, asActor(admin), action, {
        selection: selectionOf([u]),
        options: notify ? { notify: true } : {},
      });
    for (const [action, quiet, told] of [
      ["deactivate", quietD, toldD],
      ["archive", quietA, toldA],
      ["restore", quietR, toldR],
    ] as const) {
      expect(await act(action, quiet, false), action).toMatchObject({ ok: true, done: 1 });
      expect(await act(action, told, true), action).toMatchObject({ ok: true, done: 1 });
      expect(await outbox(quiet.id), action).toEqual([]);
    }
    expect(await outbox(toldD.id)).toMatchObject([
      { kind: "deactivated", subject: "Your Roster account has been deactivated" },
    ]);
    const [archived] = await outbox(toldA.id);
    expect(archived).toMatchObject({
      kind: "archived",
      subject: "Your Roster account has been archived",
    });
    expect(archived?.body).toContain("contact your workspace admin");
    expect(await outbox(toldR.id)).toMatchObject([{ kind: "restored" }]);
  });

  it("an archived or deleted user never gets anything after it (seed 004)", async () => {
    const [gone, kept] = (await addUsers(t.db, [{ status: "active" }, { status: "active" }])) as [
      User,
      User,
    ];
    await run(t.db, asActor(admin), "archive", {
      selection: selectionOf([kept]),
      options: { notify: true },
    });
    await run(t.db, asActor(admin), "deactivate", { selection: selectionOf([gone]) });
    await run(t.db, asActor(admin), "delete", {
      selection: selectionOf([{ ...gone, status: "inactive" }]),
      options: { confirm: "DELETE" },
    });
    // Any later notice, for either: nothing queued.
    await t.db.transaction(async (tx) => {
      for (const kind of ["deactivated", "reactivated", "restored"] as const) {
        await queueNotices(tx, {
          userIds: [gone.id, kept.id],
          kind,
          baseUrl: "http://roster.test",
        });
      }
    });
    expect((await outbox(kept.id)).map((m) => m.kind)).toEqual(["archived"]);
    expect(await outbox(gone.id)).toEqual([]);
  });

  it("an email queued before an archive is never sent; the archive's own notice is", async () => {
    const [who] = (await addUsers(t.db, [{ status: "active" }])) as [User];
    await run(t.db, asActor(admin), "deactivate", {
      selection: selectionOf([who]),
      options: { notify: true },
    });
    await run(t.db, asActor(admin), "archive", {
      selection: selectionOf([{ ...who, status: "inactive" }]),
      options: { notify: true },
    });
    const delivered: string[] = [];
    const transport: Transport<{ ok: true }> = {
      name: "fake",
      version: "1",
      send(mail, callback) {
        const { to, subject } = mail.data as { to: string; subject: string };
        if (to === who.email) delivered.push(subject);
        callback(null, { ok: true });
      },
    };
    const later = new Date(Date.now() + 60_000);
    await deliverDueEmails(t.db, nodemailer.createTransport(transport), later, { batchSize: 1000 });
    const rows = await queryRows<{ kind: string; sent: boolean; last_error: string | null }>(
      t.db,
      sql`select kind, sent_at is not null as sent, last_error from outbox
          where user_id = ${who.id}::uuid order by id`,
    );
    expect(rows).toEqual([
      { kind: "deactivated", sent: false, last_error: ARCHIVED_BEFORE_SENT },
      { kind: "archived", sent: true, last_error: null },
    ]);
    expect(delivered).toEqual(["Your Roster account has been archived"]);
  });

  it("shows the reason in the list, the export and the audit log, and filters by it exactly", async () => {
    const tag = `rsn${Date.now().toString(36)}`;
    const people = await addUsers(
      t.db,
      Array.from({ length: 7 }, (_, i) => ({ name: `${tag} ${i}`, status: "active" as const })),
    );
    const [p0, p1, p2, p3, p4, p5, p6] = people as [User, User, User, User, User, User, User];
    const reason = `Left the company ${tag}`;
    // A bulk action: one reason shared by three events.
    await run(t.db, asActor(admin), "deactivate", {
      selection: selectionOf([p0, p1, p2]),
      reason,
    });
    await run(t.db, asActor(admin), "archive", {
      selection: selectionOf([p3]),
      reason: `${reason}: went to a competitor`,
    });
    await run(t.db, asActor(admin), "deactivate", {
      selection: selectionOf([p4]),
      reason: `Contract ended ${tag}`,
    });
    await run(t.db, asActor(admin), "deactivate", { selection: selectionOf([p5]) });
    // The latest change's reason is the one the list shows: none for p0 after reactivating.
    await run(t.db, asActor(admin), "reactivate", {
      selection: selectionOf([{ ...p0, status: "inactive" }]),
    });

    const inactive = await listUsers(t.db, parseUsersView({ tab: "inactive", q: tag }));
    const shown = Object.fromEntries(inactive.rows.map((r) => [r.id, r.statusReason]));
    expect(shown).toEqual({
      [p1.id]: reason,
      [p2.id]: reason,
      [p4.id]: `Contract ended ${tag}`,
      [p5.id]: null,
    });
    const active = await listUsers(t.db, parseUsersView({ tab: "active", q: tag }));
    expect(active.rows.find((r) => r.id === p0.id)?.statusReason).toBeNull();

    // The CSV has a Reason column, neutralised like every typed cell.
    await run(t.db, asActor(admin), "deactivate", {
      selection: selectionOf([p6]),
      reason: `=HYPERLINK("x") ${tag}`,
    });
    const csv = await new Response(
      usersCsvStream(t.db, { ...parseUsersView({ tab: "inactive", q: tag }) }),
    ).text();
    const [header, ...lines] = parseCsv(csv);
    const col = header?.indexOf("Reason") ?? -1;
    expect(col).toBeGreaterThan(0);
    const byName = Object.fromEntries(lines.map((l) => [l[0], l[col]]));
    expect(byName[p1.name]).toBe(reason);
    expect(byName[p5.name]).toBe("");
    expect(byName[p6.name]).toBe(`'=HYPERLINK("x") ${tag}`);

    // The audit filter: every event whose reason holds the words, exactly as count(*) says.
    const count = async (words: string) =>
      Number(
        (
          await queryRows<{ n: number }>(
            t.db,
            sql`select count(*)::int as n from audit_events e join audit_reasons r on r.id = e.reason_id
                where position(lower(${words}) in lower(r.text)) > 0`,
          )
        )[0]?.n,
      );
    for (const [words, expected] of [
      [reason, 4],
      [`Contract ended ${tag}`, 1],
      [tag, 6],
      [`${tag} nothing`, 0],
    ] as const) {
      const page = await listAuditEvents(t.db, { ...AUDIT_DEFAULTS, reason: words, size: 100 });
      expect(page.total, words).toEqual({ n: expected, capped: false });
      expect(await count(words), words).toBe(expected);
      expect(page.rows.length).toBe(expected);
      expect(page.rows.every((r) => r.reason?.toLowerCase().includes(words.toLowerCase()))).toBe(
        true,
      );
    }
    // Wildcards are words, not patterns.
    const wild = await listAuditEvents(t.db, { ...AUDIT_DEFAULTS, reason: "%", size: 100 });
    expect(wild.total.n).toBe(await count("%"));
    // Combined with an action.
    const archives = await listAuditEvents(t.db, {
      ...AUDIT_DEFAULTS,
      reason,
      action: "archive",
    });
    expect(archives.rows.map((r) => r.target?.id)).toEqual([p3.id]);
  });

  it("erasure redacts the reasons: the list, the filter and the export no longer have them", async () => {
    const tag = `erase${Date.now().toString(36)}`;
    const [who] = (await addUsers(t.db, [{ name: `${tag} one`, status: "active" }])) as [User];
    await run(t.db, asActor(admin), "deactivate", {
      selection: selectionOf([who]),
      reason: `Security ${tag}`,
    });
    expect((await listAuditEvents(t.db, { ...AUDIT_DEFAULTS, reason: tag })).total.n).toBe(1);
    await run(t.db, asActor(admin), "delete", {
      selection: selectionOf([{ ...who, status: "inactive" }]),
      options: { confirm: "DELETE" },
      reason: `Asked to be forgotten ${tag}`,
    });
    expect((await listAuditEvents(t.db, { ...AUDIT_DEFAULTS, reason: tag })).total.n).toBe(0);
    const redactions = await listAuditEvents(t.db, {
      ...AUDIT_DEFAULTS,
      action: "redact-reason",
      target: who.id,
    });
    expect(redactions.total.n).toBeGreaterThan(0);
  });
});
