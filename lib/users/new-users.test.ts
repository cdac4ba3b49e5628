import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import type { User } from "@/db/schema";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "@/db/testing";
import { resolveAuthSecret } from "@/lib/env";
import { cancelJobAs, listJobs } from "@/lib/jobs/queries";
import { renderBody } from "@/lib/mail/sealed-link";
import { PASTE_MESSAGES } from "@/model/limits";
import type { Doer } from "@/model/permissions";
import type { UserRole } from "@/model/roles";
import { acceptInvitation } from "./invitations";
import {
  applyNewUsers,
  NEW_USER_SKIPS,
  type NewUsersArgs,
  PLAN_CHANGED,
  previewNewUsers,
} from "./new-users";
import { runNewUsersBatch } from "./new-users-job";
import { seatsUsed, statusCounts } from "./queries";
import { addOwnerAndAdmins, addUser, asActor, snapshot } from "./testing/fixtures";

const BASE = "http://roster.test";
let tagCount = 0;

describe.each(TEST_DRIVERS)("invite (new users) on %s", (driver) => {
  let t: TestDatabase;
  let owner: User;
  let admin: User;
  let support: User;
  let manager: User;
  let member: User;
  let inactive: User;
  const BIG = 1_000_000;

  beforeAll(async () => {
    t = await createTestDatabase(driver);
    [owner, admin] = await addOwnerAndAdmins(t.db);
    support = await addUser(t.db, { role: "support" });
    manager = await addUser(t.db, { role: "manager" });
    member = await addUser(t.db, { role: "member" });
    inactive = await addUser(t.db, { role: "member", status: "inactive" });
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Fresh addresses no test has used. */
  function fresh(n: number): string[] {
    const tag = `${driver}${++tagCount}`;
    return Array.from({ length: n }, (_, i) => `new.${tag}.${i}@example.test`);
  }

  function args(actor: Doer, emails: string, role: UserRole = "member", seatLimit = BIG) {
    return { actor, action: "invite", options: { emails, role }, seatLimit } as NewUsersArgs;
  }

  async function usersNamed(emails: string[]) {
    return queryRows<{ id: string; name: string; email: string; role: string; status: string }>(
      t.db,
      sql`select id, name, email, role, status from users
          where lower(email) in (select lower(value) from json_array_elements_text(${JSON.stringify(emails)}::json))
          order by email`,
    );
  }

  it("previews each entry: invited, or skipped because invalid, repeated or already a user (with where and who)", async () => {
    const [a, b] = fresh(2) as [string, string];
    const before = await snapshot(t.db);
    const text = `Ada Lovelace <${a}>, nope; ${b.toUpperCase()}\n${a.toUpperCase()} ${inactive.email}`;
    const p = await previewNewUsers(t.db, args(asActor(admin), text));
    if (!p.ok) throw new Error(p.error);
    expect(p.outcomes.map((o) => [o.raw, o.invite, o.invite ? null : o.reason])).toEqual([
      [`Ada Lovelace <${a}>`, true, null],
      ["nope", false, NEW_USER_SKIPS.invalid],
      [b.toUpperCase(), true, null],
      [a.toUpperCase(), false, NEW_USER_SKIPS.duplicate],
      [inactive.email, false, "Already a user, on the Inactive tab."],
    ]);
    const known = p.skipped.find((s) => s.code === "exists");
    expect(known?.user).toEqual({ id: inactive.id, tab: "inactive" });
    expect(p.seats).toEqual({ needed: 2, free: BIG - (await seatsUsed(t.db)) });
    expect(await snapshot(t.db)).toEqual(before);
  });

  it("applies in one go: invited users with the role, one invitation and email each, one audit event each", async () => {
    const [a, b, c] = fresh(3) as [string, string, string];
    const countsBefore = await statusCounts(t.db);
    const text = `Ada Lovelace <${a}>, ${b}; ${c} nope ${member.email}`;
    const p = await previewNewUsers(t.db, args(asActor(admin), text, "manager"));
    if (!p.ok) throw new Error(p.error);
    const r = await applyNewUsers(t.db, {
      ...args(asActor(admin), text, "manager"),
      expected: p.fingerprint,
      requestId: "req-invite",
      baseUrl: BASE,
    });
    if (!r.ok) throw new Error(r.error);
    expect(r.done).toBe(3);
    expect(r.skipped.map((s) => s.code)).toEqual(["invalid", "exists"]);
    const made = await usersNamed([a, b, c]);
    expect(made.map((u) => [u.email, u.role, u.status])).toEqual([
      [a, "manager", "invited"],
      [b, "manager", "invited"],
      [c, "manager", "invited"],
    ]);
    expect(made.find((u) => u.email === a)?.name).toBe("Ada Lovelace");
    const ids = made.map((u) => u.id);
    const audit = await queryRows<{
      actor_id: string;
      action: string;
      to_status: string;
      request_id: string;
    }>(
      t.db,
      sql`select actor_id, action, to_status, request_id from audit_events
          where target_id in (select value::uuid from json_array_elements_text(${JSON.stringify(ids)}::json))`,
    );
    expect(audit).toHaveLength(3);
    for (const e of audit) {
      expect(e).toEqual({
        actor_id: admin.id,
        action: "invite",
        to_status: "invited",
        request_id: "req-invite",
      });
    }
    const mail = await queryRows<{ to_email: string; body: string; sealed_token: string }>(
      t.db,
      sql`select to_email, body, sealed_token from outbox where kind = 'invitation'
          and user_id in (select value::uuid from json_array_elements_text(${JSON.stringify(ids)}::json))
          order by to_email`,
    );
    expect(mail.map((m) => m.to_email)).toEqual([a, b, c]);
    const [open] = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from invitations where used_at is null and user_id in (select value::uuid from json_array_elements_text(${JSON.stringify(ids)}::json))`,
    );
    expect(open?.n).toBe(3);
    expect((await statusCounts(t.db)).invited).toBe(countsBefore.invited + 3);

    // The invitee accepts from the email and is active.
    const link = renderBody(
      mail[0]?.body ?? "",
      mail[0]?.sealed_token ?? null,
      resolveAuthSecret(),
    );
    const token = link.match(/\/invite\/([A-Za-z0-9_-]{43})/)?.[1] ?? "";
    expect(token).toHaveLength(43);
    expect(link).toContain(`${BASE}/invite/`);
    const accepted = await acceptInvitation(t.db, {
      token,
      password: "a good password",
      seatLimit: BIG,
    });
    expect(accepted).toEqual({ ok: true, email: a });
    expect((await usersNamed([a]))[0]?.status).toBe("active");
  });

  it("more than the job threshold runs as a job: batch by batch, once, re-checking seats and who is a user", async () => {
    const emails = fresh(5);
    const text = [...emails, inactive.email, "nope"].join("\n");
    const p = await previewNewUsers(t.db, args(asActor(admin), text, "support"));
    if (!p.ok) throw new Error(p.error);
    const started = await applyNewUsers(t.db, {
      ...args(asActor(admin), text, "support"),
      expected: p.fingerprint,
      requestId: "req-job",
      baseUrl: BASE,
      jobAbove: 2,
    });
    if (!started.ok || !started.job) throw new Error("no job");
    expect(started).toMatchObject({ done: 0, created: [], job: { total: 5 } });
    expect(started.skipped.map((s) => s.code)).toEqual(["exists", "invalid"]);
    expect(await usersNamed(emails)).toEqual([]);
    // The admin sees it among the jobs, named by its verb; a support user may invite too.
    const listed = (await listJobs(t.db, "admin")).find((j) => j.id === started.job?.id);
    expect(listed).toMatchObject({ newUserAction: "invite", total: 5, status: "queued" });
    const jobId = started.job.id;
    const step = (seats: number) =>
      runNewUsersBatch(t.db, jobId, { seatLimit: async () => seats, batchSize: 2 });
    expect(await step(BIG)).toBe("more");
    expect((await usersNamed(emails)).map((u) => [u.email, u.role, u.status])).toEqual([
      [emails[0], "support", "invited"],
      [emails[1], "support", "invited"],
    ]);
    // Meanwhile: someone adds emails[2] themselves, and the seats nearly run out.
    await addUser(t.db, { email: emails[2] as string, status: "pending" });
    const used = await seatsUsed(t.db);
    // One seat free: emails[2] takes it and finds its address taken; emails[3] finds none left.
    expect(await step(used + 1)).toBe("more");
    expect(await step(used + 1)).toBe("finished");
    expect(await step(used + 1)).toBe("finished");
    const made = await usersNamed(emails);
    expect(made.map((u) => [u.email, u.status])).toEqual([
      [emails[0], "invited"],
      [emails[1], "invited"],
      [emails[2], "pending"],
      [emails[4], "invited"],
    ]);
    const [job] = await queryRows<{ status: string; done: number; skipped: number; by: unknown }>(
      t.db,
      sql`select status, done, skipped, skipped_by_reason as by from jobs where id = ${jobId}::uuid`,
    );
    expect(job).toEqual({ status: "done", done: 3, skipped: 2, by: { conflict: 1, seat: 1 } });
    // The same audit events as an invite in one go (and the job named), an invitation and email each.
    const invitedIds = made.filter((u) => u.status === "invited").map((u) => u.id);
    const audit = await queryRows<{ target_id: string; actor_id: string; to_status: string }>(
      t.db,
      sql`select target_id, actor_id, to_status from audit_events
          where action = 'invite' and job_id = ${jobId}::uuid and request_id = 'req-job'
          order by target_id`,
    );
    expect(audit).toEqual(
      invitedIds
        .toSorted()
        .map((id) => ({ target_id: id, actor_id: admin.id, to_status: "invited" })),
    );
    const [sent] = await queryRows<{ invitations: number; emails: number }>(
      t.db,
      sql`select (select count(*)::int from invitations where user_id = any(${`{${invitedIds.join(",")}}`}::uuid[])) as invitations,
            (select count(*)::int from outbox where kind = 'invitation'
              and user_id = any(${`{${invitedIds.join(",")}}`}::uuid[])) as emails`,
    );
    expect(sent).toEqual({ invitations: 3, emails: 3 });
    const staged = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from csv_import_rows r join jobs j on j.params->>'importId' = r.import_id::text
          where j.id = ${jobId}::uuid`,
    );
    expect(staged[0]?.n).toBe(0);
  });

  it("an invite job stops when cancelled, and when its starter may no longer invite", async () => {
    const start = async (actor: User) => {
      const r = await applyNewUsers(t.db, {
        ...args(asActor(actor), fresh(4).join(" ")),
        jobAbove: 2,
      });
      if (!r.ok || !r.job) throw new Error("no job");
      return r.job.id;
    };
    const step = (jobId: string) =>
      runNewUsersBatch(t.db, jobId, { seatLimit: async () => BIG, batchSize: 2 });
    const cancelled = await start(admin);
    expect(await step(cancelled)).toBe("more");
    expect(await cancelJobAs(t.db, asActor(manager), cancelled)).toMatchObject({ ok: false });
    expect(await cancelJobAs(t.db, asActor(admin), cancelled)).toEqual({ ok: true });
    expect(await step(cancelled)).toBe("finished");
    const demoted = await addUser(t.db, { role: "admin" });
    const failed = await start(demoted);
    await t.db.execute(sql`update users set role = 'manager' where id = ${demoted.id}::uuid`);
    expect(await step(failed)).toBe("finished");
    const jobs = await queryRows<{ id: string; status: string; done: number }>(
      t.db,
      sql`select id, status, done from jobs where id in (${cancelled}::uuid, ${failed}::uuid)`,
    );
    expect(Object.fromEntries(jobs.map((j) => [j.id, [j.status, j.done]]))).toEqual({
      [cancelled]: ["cancelled", 2],
      [failed]: ["failed", 0],
    });
  });

  it("an invite job's batches give only roles below the starter's role now", async () => {
    const starter = await addUser(t.db, { role: "admin" });
    const emails = fresh(4);
    const r = await applyNewUsers(t.db, {
      ...args(asActor(starter), emails.join(" "), "manager"),
      jobAbove: 2,
    });
    if (!r.ok || !r.job) throw new Error("no job");
    const jobId = r.job.id;
    const step = () => runNewUsersBatch(t.db, jobId, { seatLimit: async () => BIG, batchSize: 2 });
    expect(await step()).toBe("more");
    // Demoted to support: may still invite, members only.
    await t.db.execute(sql`update users set role = 'support' where id = ${starter.id}::uuid`);
    expect(await step()).toBe("finished");
    expect((await usersNamed(emails)).map((u) => u.email)).toEqual(emails.slice(0, 2));
    const [job] = await queryRows<{ status: string; done: number; by: unknown }>(
      t.db,
      sql`select status, done, skipped_by_reason as by from jobs where id = ${jobId}::uuid`,
    );
    expect(job).toEqual({ status: "done", done: 2, by: { rank: 2 } });
  });

  it("invites only below the inviter's rank, never an owner; support invites members; others may not", async () => {
    const before = await snapshot(t.db);
    const [a] = fresh(1) as [string];
    const refused: [Doer, UserRole, string][] = [
      [asActor(admin), "admin", "Choose a role below your own."],
      [asActor(admin), "owner", "Choose a role below your own."],
      [asActor(owner), "owner", "Choose a role below your own."],
      [asActor(support), "support", "Choose a role below your own."],
      [asActor(support), "manager", "Choose a role below your own."],
      [asActor(manager), "member", "You don't have permission to invite people."],
      [asActor(member), "member", "You don't have permission to invite people."],
      [{ system: "SCIM: Okta" }, "owner", "Choose a role below your own."],
    ];
    for (const [actor, role, error] of refused) {
      expect(await previewNewUsers(t.db, args(actor, a, role))).toEqual({ ok: false, error });
      expect(await applyNewUsers(t.db, args(actor, a, role))).toEqual({ ok: false, error });
    }
    expect(await snapshot(t.db)).toEqual(before);
    const byOwner = await previewNewUsers(t.db, args(asActor(owner), a, "admin"));
    expect(byOwner.ok && byOwner.invite.length).toBe(1);
    const bySupport = await applyNewUsers(t.db, args(asActor(support), a, "member"));
    expect(bySupport.ok && bySupport.done).toBe(1);
  });

  it("refuses bad input as a whole with a clear message, changing nothing", async () => {
    const before = await snapshot(t.db);
    const cases: [unknown, string][] = [
      [{ emails: " ;, ", role: "member" }, PASTE_MESSAGES.empty],
      [
        { emails: fresh(10_001).join("\n"), role: "member" },
        "That's 10,001 addresses: paste at most 10,000 at a time.",
      ],
      [{ emails: "a".repeat(600_000), role: "member" }, PASTE_MESSAGES.tooLong],
      [{ emails: "a@b.test", role: "boss" }, "Choose a role"],
      [{ emails: "a@b.test" }, "Choose a role"],
      [{ role: "member" }, "Paste the email addresses"],
      [{ emails: ["a@b.test"], role: "member" }, "Paste the email addresses"],
    ];
    for (const [options, error] of cases) {
      const a = {
        actor: asActor(admin),
        action: "invite",
        options,
        seatLimit: BIG,
      } as NewUsersArgs;
      const p = await previewNewUsers(t.db, a);
      expect(p.ok ? "ok" : p.error).toBe(error);
      const r = await applyNewUsers(t.db, a);
      expect(r.ok ? "ok" : r.error).toBe(error);
    }
    const extra = await applyNewUsers(t.db, {
      ...args(asActor(admin), "a@b.test"),
      options: { emails: "a@b.test", role: "member", status: "active" },
    });
    expect(extra.ok).toBe(false);
    expect(await snapshot(t.db)).toEqual(before);
  });

  it("invites as many as there are seats, in paste order; the rest are skipped for want of one", async () => {
    const list = fresh(3);
    const limit = (await seatsUsed(t.db)) + 2;
    const p = await previewNewUsers(t.db, args(asActor(admin), list.join(" "), "member", limit));
    if (!p.ok) throw new Error(p.error);
    expect(p.outcomes.map((o) => (o.invite ? "invite" : o.code))).toEqual([
      "invite",
      "invite",
      "seat",
    ]);
    expect(p.seats).toEqual({ needed: 3, free: 2 });
    const r = await applyNewUsers(t.db, {
      ...args(asActor(admin), list.join(" "), "member", limit),
      expected: p.fingerprint,
    });
    expect(r.ok && [r.done, r.skipped.map((s) => s.reason)]).toEqual([2, [NEW_USER_SKIPS.seat]]);
    expect(await seatsUsed(t.db)).toBe(limit);
  });

  it("re-checks at apply: a plan changed since the preview applies nothing; without a preview, the taken address is skipped", async () => {
    const [a, b] = fresh(2) as [string, string];
    const text = `${a} ${b}`;
    const p = await previewNewUsers(t.db, args(asActor(admin), text));
    if (!p.ok) throw new Error(p.error);
    // Someone asks for access with one of the addresses meanwhile.
    await addUser(t.db, { email: b.toUpperCase(), status: "pending" });
    const before = await snapshot(t.db);
    expect(
      await applyNewUsers(t.db, { ...args(asActor(admin), text), expected: p.fingerprint }),
    ).toEqual({ ok: false, conflict: true, error: PLAN_CHANGED });
    expect(await snapshot(t.db)).toEqual(before);
    const r = await applyNewUsers(t.db, args(asActor(admin), text));
    if (!r.ok) throw new Error(r.error);
    expect(r.done).toBe(1);
    expect(r.skipped.map((s) => s.reason)).toEqual(["Already a user, on the Pending tab."]);
  });

  it("concurrent invites of the same addresses create each user once", async () => {
    const list = fresh(5);
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        applyNewUsers(t.db, { ...args(asActor(admin), list.join(",")), baseUrl: BASE }),
      ),
    );
    const done = results.map((r) => (r.ok ? r.done : -1));
    expect(done.reduce((x, y) => x + y, 0)).toBe(5);
    expect(await usersNamed(list)).toHaveLength(5);
    const [events] = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from audit_events e join users u on u.id = e.target_id
          where e.action = 'invite' and lower(u.email) in (select lower(value) from json_array_elements_text(${JSON.stringify(list)}::json))`,
    );
    expect(events?.n).toBe(5);
  });

  it("for any pasted text: either an error and nothing changes, or the apply invites exactly whom the preview showed", async () => {
    const known = [inactive.email, member.email];
    const piece = fc.oneof(
      fc.emailAddress().map((e) => e.replace("@", "@TAG.")),
      fc.constantFrom(...known, ", ", ";", "\n", " ", "<", ">", '"', "Ada Lovelace "),
      fc.string({ maxLength: 8 }),
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 12 }), fc.nat(3), async (parts, seatsLeft) => {
        // Each run its own addresses: the same text, never a user yet.
        const tag = `p${driver}${++run}x`;
        const text = parts.join("").replaceAll("TAG", tag);
        const limit = (await seatsUsed(t.db)) + seatsLeft;
        const p = await previewNewUsers(t.db, args(asActor(admin), text, "member", limit));
        if (!p.ok) {
          const before = await snapshot(t.db);
          const r = await applyNewUsers(t.db, args(asActor(admin), text, "member", limit));
          expect(r).toEqual(p);
          expect(await snapshot(t.db)).toEqual(before);
          return;
        }
        const r = await applyNewUsers(t.db, {
          ...args(asActor(admin), text, "member", limit),
          expected: p.fingerprint,
        });
        if (!r.ok) throw new Error(r.error);
        const shown = p.invite.map((e) => e.email?.toLowerCase()).sort();
        expect(r.created.map((u) => u.email.toLowerCase()).sort()).toEqual(shown);
        expect(r.skipped.map((s) => s.index)).toEqual(p.skipped.map((s) => s.index));
      }),
      { numRuns: driver === "pglite" ? 40 : 20 },
    );
  });
});
