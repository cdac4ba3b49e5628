import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import type { User } from "@/db/schema";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "@/db/testing";
import { authenticate } from "@/lib/authenticate";
import { claimJob } from "@/lib/jobs/runner";
import { expiryJobHandler } from "@/lib/lifecycle/expiry-job";
import { signInMessage } from "@/lib/sign-in-messages";
import { countMatching, listUsers } from "./queries";
import {
  aDayFromNow,
  addOwnerAndAdmins,
  addUsers,
  asActor,
  auditFor,
  run,
  selectionOf,
  snapshot,
} from "./testing/fixtures";
import { USERS_DEFAULTS } from "./view";

const PASSWORD = "the-right-password";
const quickVerify = async (password: string, stored: string | null) =>
  stored !== null && password === PASSWORD;
const POLICY = "Policy: access end date";

/** A minute from now plus `days` days, to the minute (as the dialog sends it). */
function inDays(days: number): string {
  return aDayFromNow(new Date(Date.now() + (days - 1) * 86_400_000));
}

describe.each(TEST_DRIVERS)("schedule deactivation (access end date) on %s", (driver) => {
  let t: TestDatabase;
  let owner: User;
  let admin: User;
  let address = 0;

  beforeAll(async () => {
    t = await createTestDatabase(driver);
    [owner, admin] = await addOwnerAndAdmins(t.db);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function state(id: string) {
    const [row] = await queryRows<{ status: string; ends: string | null }>(
      t.db,
      sql`select status, access_ends_at as ends from users where id = ${id}::uuid`,
    );
    return { status: row?.status, ends: row?.ends ? new Date(row.ends).toISOString() : null };
  }

  async function queuedAt(): Promise<string[]> {
    const rows = await queryRows<{ at: string }>(
      t.db,
      sql`select params->>'at' as at from jobs
          where kind = 'expiry' and status = 'queued' and params->>'action' = 'scheduleDeactivation'
          order by 1`,
    );
    return rows.map((r) => r.at);
  }

  function signIn(email: string, now: Date) {
    address++;
    return authenticate(
      t.db,
      { email, password: PASSWORD, address: `10.9.${driver.length}.${address}` },
      { verify: quickVerify, now },
    );
  }

  async function member(): Promise<User> {
    const [u] = (await addUsers(t.db, [{ status: "active" }])) as [User];
    await t.db.execute(sql`update users set password_hash = 'x' where id = ${u.id}::uuid`);
    return u;
  }

  it("sets the date without moving the status, refuses sign-in at that minute, and the job deactivates them then as the policy", async () => {
    const user = await member();
    const endsAt = aDayFromNow();
    const result = await run(t.db, asActor(admin), "scheduleDeactivation", {
      selection: selectionOf([user]),
      options: { endsAt },
    });
    expect(result).toMatchObject({ ok: true, done: 1 });
    expect(await state(user.id)).toEqual({ status: "active", ends: endsAt });
    expect(await queuedAt()).toContain(endsAt);

    const at = new Date(endsAt);
    // A minute before, they may sign in; at the minute, they may not, whether or not the job ran.
    expect((await signIn(user.email, new Date(at.getTime() - 60_000))).ok).toBe(true);
    const refused = await signIn(user.email, at);
    expect(refused).toEqual({ ok: false, code: "access-ended" });
    expect(signInMessage("access-ended")).toBe(
      "Your access to this workspace has ended. Contact your workspace admin.",
    );

    expect(await claimJob(t.db, `runner-${driver}`, new Date(at.getTime() - 60_000))).toBeNull();
    const job = await claimJob(t.db, `runner-${driver}`, at);
    expect(job?.kind).toBe("expiry");
    if (!job) throw new Error("no job");
    await expiryJobHandler(t.db, job);

    // Deactivated, and the date went with the status it was set in.
    expect(await state(user.id)).toEqual({ status: "inactive", ends: null });
    const events = await auditFor(t.db, [user.id]);
    expect(events.map((e) => [e.action, e.actor_id, e.from_status, e.to_status, e.reason])).toEqual(
      [
        ["scheduleDeactivation", admin.id, "active", "active", null],
        ["deactivate", null, "active", "inactive", POLICY],
      ],
    );
    expect(events[0]?.records_moved).toEqual({ access_ends_at: { [user.id]: [null, endsAt] } });
    const [done] = await queryRows<{ status: string; done: number }>(
      t.db,
      sql`select status, done from jobs where id = ${job.id}::uuid`,
    );
    expect(done).toEqual({ status: "done", done: 1 });
  });

  it("a date in the past gets a clear message and changes nothing", async () => {
    const user = await member();
    const before = await snapshot(t.db);
    const past = await run(t.db, asActor(admin), "scheduleDeactivation", {
      selection: selectionOf([user]),
      options: { endsAt: "2001-01-01T00:00:00.000Z" },
    });
    expect(past).toEqual({
      ok: false,
      error: "Choose a time in the future: that one has already passed.",
    });
    expect(await snapshot(t.db)).toEqual(before);
  });

  it("changing the date replaces the job, clearing it cancels the job, and each change is audited", async () => {
    const user = await member();
    const actor = asActor(admin);
    const first = inDays(3);
    const second = inDays(5);
    await run(t.db, actor, "scheduleDeactivation", {
      selection: selectionOf([user]),
      options: { endsAt: first },
    });
    expect(await queuedAt()).toContain(first);
    await run(t.db, actor, "scheduleDeactivation", {
      selection: selectionOf([user]),
      options: { endsAt: second },
    });
    expect(await state(user.id)).toEqual({ status: "active", ends: second });
    expect(await queuedAt()).not.toContain(first);
    expect(await queuedAt()).toContain(second);

    const cleared = await run(t.db, actor, "scheduleDeactivation", {
      selection: selectionOf([user]),
      options: { endsAt: null },
    });
    expect(cleared).toMatchObject({ ok: true, done: 1 });
    expect(await state(user.id)).toEqual({ status: "active", ends: null });
    expect(await queuedAt()).not.toContain(second);

    // Clearing again changes nothing: they are "unchanged", and nothing is audited.
    const again = await run(t.db, actor, "scheduleDeactivation", {
      selection: selectionOf([user]),
      options: { endsAt: null },
    });
    expect(again).toMatchObject({
      ok: true,
      done: 0,
      skippedByReason: { unchanged: 1 },
      skipped: [{ id: user.id, reason: "Already has that access end date." }],
    });

    const events = await auditFor(t.db, [user.id]);
    expect(events.map((e) => e.records_moved)).toEqual([
      { access_ends_at: { [user.id]: [null, first] } },
      { access_ends_at: { [user.id]: [first, second] } },
      { access_ends_at: { [user.id]: [second, null] } },
    ]);
    // A signed-in user whose date was cleared signs in as before.
    expect((await signIn(user.email, new Date(second))).ok).toBe(true);
  });

  it("keeps the rank rules: an admin can't set the owner's, or their own", async () => {
    const result = await run(t.db, asActor(admin), "scheduleDeactivation", {
      selection: selectionOf([owner, admin]),
      options: { endsAt: aDayFromNow() },
    });
    expect(result).toMatchObject({ ok: true, done: 0 });
    expect(result.ok && result.skipped.map((s) => s.code).sort()).toEqual(["owner", "self"]);
    expect((await state(owner.id)).ends).toBeNull();
  });

  it("a user deactivated by hand before the time loses the date, and the job leaves them alone", async () => {
    const user = await member();
    const endsAt = inDays(2);
    const actor = asActor(admin);
    await run(t.db, actor, "scheduleDeactivation", {
      selection: selectionOf([user]),
      options: { endsAt },
    });
    await run(t.db, actor, "deactivate", { selection: selectionOf([user]) });
    await run(t.db, actor, "reactivate", {
      selection: selectionOf([{ ...user, status: "inactive" }]),
    });
    expect(await state(user.id)).toEqual({ status: "active", ends: null });
    // Nobody waits for that time any more: a later change of dates cancels its job.
    const other = await member();
    await run(t.db, actor, "scheduleDeactivation", {
      selection: selectionOf([other]),
      options: { endsAt: inDays(4) },
    });
    expect(await queuedAt()).not.toContain(endsAt);
    expect((await state(user.id)).status).toBe("active");
  });

  it("the filter “Access ending in the next 30 days” answers exactly what count(*) says, and the list shows the date", async () => {
    const [soon, later, far, none] = [
      await member(),
      await member(),
      await member(),
      await member(),
    ];
    const actor = asActor(admin);
    for (const [u, days] of [
      [soon, 2],
      [later, 29],
      [far, 31],
    ] as const) {
      await run(t.db, actor, "scheduleDeactivation", {
        selection: selectionOf([u]),
        options: { endsAt: inDays(days) },
      });
    }
    const filter = { ...USERS_DEFAULTS, accessEnding: true, size: 100 };
    const [truth] = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from users
          where status in ('active', 'invited') and access_ends_at is not null
            and access_ends_at < now() + interval '30 days'`,
    );
    expect(await countMatching(t.db, filter)).toBe(Number(truth?.n));
    const page = await listUsers(t.db, filter);
    const ids = page.rows.map((r) => r.id);
    expect(ids).toEqual(expect.arrayContaining([soon.id, later.id]));
    expect(ids).not.toContain(far.id);
    expect(ids).not.toContain(none.id);
    expect(page.rows.find((r) => r.id === soon.id)?.accessEndsAt).toBe(inDays(2));
  });

  it.runIf(driver === "postgres")(
    "two runners racing on the due job change each user once",
    async () => {
      const users = [await member(), await member(), await member()];
      const endsAt = inDays(6);
      await run(t.db, asActor(admin), "scheduleDeactivation", {
        selection: selectionOf(users),
        options: { endsAt },
      });
      const at = new Date(endsAt);
      // Only this job is due for the race (the earlier tests' jobs would be claimed too).
      await t.db.execute(sql`update jobs set status = 'cancelled'
        where kind = 'expiry' and status = 'queued' and (params->>'at')::timestamptz <> ${endsAt}::timestamptz`);
      // Two instances claim at once: SKIP LOCKED and the lease give the job to one.
      const claims = await Promise.all([
        claimJob(t.db, "runner-a", at),
        claimJob(t.db, "runner-b", at),
      ]);
      const claimed = claims.filter((c) => c !== null);
      expect(claimed).toHaveLength(1);
      const job = claimed[0];
      if (!job) throw new Error("no job");
      // Even if both ran it (a lease that ran out mid-run), the row locks and the re-check
      // change each user once.
      await Promise.all([expiryJobHandler(t.db, job), expiryJobHandler(t.db, job)]);
      for (const u of users) {
        expect(await state(u.id)).toEqual({ status: "inactive", ends: null });
      }
      const events = await auditFor(
        t.db,
        users.map((u) => u.id),
      );
      expect(events.filter((e) => e.action === "deactivate")).toHaveLength(users.length);
    },
  );
});
