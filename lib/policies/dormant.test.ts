import { sql } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Db, queryRows } from "@/db/client";
import type { User } from "@/db/schema";
import { TEST_DRIVERS } from "@/db/testing";
import { useTestDatabase } from "@/db/testing-hooks";
import { countMatching, listUsers, usersFilterWhere, viewTotal } from "@/lib/users/queries";
import { canonicalSelection, selectionSchema } from "@/lib/users/selection";
import { addOwnerAndAdmins, addUser, asActor } from "@/lib/users/testing/fixtures";
import {
  parseUsersView,
  parseUsersViewStrict,
  usersFilterOf,
  usersViewQuery,
} from "@/lib/users/view";
import {
  jobKind,
  POLICY_REFUSALS,
  policyJobHandler,
  readPolicy,
  runPolicyNow,
  savePolicy,
} from "./define";
import { DORMANT, type DormantPolicy, dormantPolicySchema, previewDormant } from "./dormant";
import {
  describeDormantFilter,
  dormantFilterOf,
  parseDormantFilter,
  serializeDormantFilter,
} from "./dormant-filter";
import { scheduleDuePolicies } from "./scheduler";

const DAY = 86_400_000;
const BASE = "http://roster.test";

describe("what a dormant-user policy may be", () => {
  const parse = (input: unknown) => dormantPolicySchema.safeParse(input);
  const ok = { enabled: true, days: 90, warnDays: 7, excludeRoles: ["admin"], exemptDays: 30 };
  it("takes whole days, a warning shorter than the policy, and roles below the owner", () => {
    expect(parse(ok).success).toBe(true);
    expect(parse({ ...ok, days: "60", warnDays: "0", exemptDays: "0" }).success).toBe(true);
    for (const bad of [
      { days: 0 },
      { days: -5 },
      { days: 2.5 },
      { days: 4000 },
      { warnDays: 90 },
      { warnDays: -1 },
      { exemptDays: -1 },
      { excludeRoles: ["owner"] },
      { excludeRoles: ["wizard"] },
      { enabled: "yes" },
      { extra: 1 },
    ]) {
      expect(parse({ ...ok, ...bad }).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe("the dormant filter in /users' URL", () => {
  it("spells the policy's days, exempt days and roles left out one way, and refuses the rest", () => {
    const f = dormantFilterOf({ days: 250, exemptDays: 0, excludeRoles: ["member", "admin"] });
    expect(serializeDormantFilter(f)).toBe("250.0.admin.member");
    expect(parseDormantFilter("250.0.member.admin.member")).toEqual(f);
    expect(parseDormantFilter("90.30")).toEqual({ days: 90, exemptDays: 30, excludeRoles: [] });
    for (const bad of [
      "",
      "90",
      "0.30",
      "3651.0",
      "90.-1",
      "90.30.owner",
      "90.30.wizard",
      "9e1.0",
    ]) {
      expect(parseDormantFilter(bad), bad).toBeNull();
    }
    expect(usersViewQuery({ dormant: f })).toBe("?dormant=250.0.admin.member");
    expect(parseUsersView({ dormant: "250.0.admin.member" }).dormant).toEqual(f);
    // Read leniently, a malformed one is no filter; taken as written (the export), refused.
    expect(parseUsersView({ dormant: "250" }).dormant).toBeNull();
    expect(parseUsersViewStrict({ dormant: "250" })).toBeNull();
    expect(describeDormantFilter(f)).toBe(
      "Dormant: no sign-in for 250 days; leaving out Admin, Member",
    );
  });

  it("is part of a selection's filter and of what its token signs", () => {
    const filter = {
      ...usersFilterOf(parseUsersView({ dormant: "90.30.manager" })),
    };
    const parsed = selectionSchema.parse({ kind: "filter", filter, excludeIds: [] });
    expect(parsed.kind === "filter" && parsed.filter.dormant).toEqual({
      days: 90,
      exemptDays: 30,
      excludeRoles: ["manager"],
    });
    const without = selectionSchema.parse({
      kind: "filter",
      filter: { ...filter, dormant: null },
      excludeIds: [],
    });
    expect(canonicalSelection("deactivate", parsed)).not.toBe(
      canonicalSelection("deactivate", without),
    );
    expect(
      selectionSchema.safeParse({
        kind: "filter",
        filter: { ...filter, dormant: { days: 0, exemptDays: 0, excludeRoles: [] } },
        excludeIds: [],
      }).success,
    ).toBe(false);
  });
});

describe.each(TEST_DRIVERS)("the dormant-user policy on %s", (driver) => {
  const t = useTestDatabase(driver);
  let owner: User;
  let admin: User;
  let support: User;

  beforeAll(async () => {
    [owner, admin] = await addOwnerAndAdmins(t.db);
    support = await addUser(t.db, { role: "support" });
  });
  // Everyone signed in just now, nobody warned: each test makes its own dormant people.
  beforeEach(async () => {
    await t.db.execute(sql`update users set last_sign_in_at = now(), dormant_warned_at = null`);
    await t.db.execute(sql`delete from jobs`);
    await t.db.execute(sql`delete from policy_runs`);
  });

  const save = async (policy: Partial<DormantPolicy>) => {
    const saved = await savePolicy(t.db, DORMANT, {
      actor: asActor(admin),
      policy: { ...DORMANT.defaults, enabled: true, ...policy },
      requestId: "test",
    });
    if (!saved.ok) throw new Error(saved.error);
  };
  const signedInDaysAgo = async (days: number | null, spec: Parameters<typeof addUser>[1] = {}) => {
    const user = await addUser(t.db, spec);
    const at = days === null ? null : new Date(Date.now() - days * DAY).toISOString();
    await t.db.execute(sql`update users set last_sign_in_at = ${at}::timestamptz,
      status_changed_at = ${new Date(Date.now() - 400 * DAY).toISOString()}::timestamptz
      where id = ${user.id}::uuid`);
    return user;
  };
  const statusOf = async (id: string) =>
    (
      await queryRows<{ status: string }>(
        t.db,
        sql`select status from users where id = ${id}::uuid`,
      )
    )[0]?.status;
  /** Runs a job's batches to the end, as the job runner would. */
  const runJob = async (db: Db, jobId: string) => {
    const handler = policyJobHandler(DORMANT, BASE);
    for (let i = 0; i < 100; i++) {
      const [job] = await queryRows<{ id: string; params: unknown; status: string }>(
        db,
        sql`select id, params, status from jobs where id = ${jobId}::uuid`,
      );
      if (!job || job.status === "done") return;
      if ((await handler(db, job)) === "finished") return;
    }
    throw new Error("the run never finished");
  };
  const runNow = async () => {
    const run = await runPolicyNow(t.db, DORMANT, { actor: asActor(admin), now: new Date() });
    if (!run.ok) throw new Error(run.error);
    await runJob(t.db, run.jobId);
    return run;
  };

  it("is off by default, and Run now says so", async () => {
    expect(await readPolicy(t.db, DORMANT)).toEqual(DORMANT.defaults);
    expect(await runPolicyNow(t.db, DORMANT, { actor: asActor(admin), now: new Date() })).toEqual({
      ok: false,
      error: POLICY_REFUSALS.off,
    });
    expect(await scheduleDuePolicies(t.db)).toEqual([]);
  });

  it("is saved by an admin, audited in words, and refused to support (nothing changes)", async () => {
    const refused = await savePolicy(t.db, DORMANT, {
      actor: asActor(support),
      policy: { ...DORMANT.defaults, enabled: true },
      requestId: "test",
    });
    expect(refused).toEqual({ ok: false, error: POLICY_REFUSALS.denied });
    expect(await runPolicyNow(t.db, DORMANT, { actor: asActor(support), now: new Date() })).toEqual(
      {
        ok: false,
        error: POLICY_REFUSALS.denied,
      },
    );
    expect((await readPolicy(t.db, DORMANT)).enabled).toBe(false);
    await save({ days: 60, excludeRoles: ["admin"] });
    const [event] = await queryRows<{ records_moved: unknown }>(
      t.db,
      sql`select records_moved from audit_events where action = 'change-setting' order by id desc limit 1`,
    );
    expect(event?.records_moved).toEqual({
      setting: {
        name: "dormant",
        label: "Dormant users",
        from: "Off",
        to: "On: after 60 days without signing in; warned 7 days before; leaving out Admin; reactivated in the last 30 days exempt",
      },
    });
  });

  it("deactivates a user on the run after the threshold and not before, as the policy", async () => {
    await save({ days: 90, warnDays: 0 });
    const notYet = await signedInDaysAgo(89);
    const dormant = await signedInDaysAgo(91);
    const preview = await previewDormant(t.db, {
      now: new Date(),
      policy: await readPolicy(t.db, DORMANT),
    });
    expect(preview.count).toBe(1);
    const run = await runNow();
    expect(run.total).toBe(1);
    expect(await statusOf(notYet.id)).toBe("active");
    expect(await statusOf(dormant.id)).toBe("inactive");
    const [event] = await queryRows<{
      action: string;
      actor_id: string | null;
      reason: string | null;
    }>(
      t.db,
      sql`select e.action, e.actor_id, r.text as reason from audit_events e
          left join audit_reasons r on r.id = e.reason_id
          where e.target_id = ${dormant.id}::uuid order by e.id desc limit 1`,
    );
    expect(event).toEqual({
      action: "deactivate",
      actor_id: null,
      reason: "Policy: dormant users",
    });
    // Two days later the first one is past the threshold too.
    await t.db.execute(sql`update users set last_sign_in_at = last_sign_in_at - interval '2 days'
      where id = ${notYet.id}::uuid`);
    await runNow();
    expect(await statusOf(notYet.id)).toBe("inactive");
  });

  it("counts an invitation never accepted from the invitation; never the owner, a left-out role or someone just reactivated", async () => {
    await save({ days: 30, warnDays: 0, excludeRoles: ["manager"], exemptDays: 10 });
    const invited = await addUser(t.db, { status: "invited" });
    const freshInvite = await addUser(t.db, { status: "invited" });
    await t.db.execute(sql`update users set last_sign_in_at = null,
      status_changed_at = now() - interval '31 days' where id = ${invited.id}::uuid`);
    await t.db.execute(sql`update users set last_sign_in_at = null,
      status_changed_at = now() - interval '5 days' where id = ${freshInvite.id}::uuid`);
    const manager = await signedInDaysAgo(100, { role: "manager" });
    const reactivated = await signedInDaysAgo(100);
    await t.db.execute(sql`
      insert into audit_events (at, actor_id, action, target_id, from_status, to_status)
      values (now() - interval '3 days', ${admin.id}::uuid, 'reactivate', ${reactivated.id}::uuid, 'inactive', 'active')`);
    await t.db.execute(sql`update users set last_sign_in_at = now() - interval '100 days'
      where id = ${owner.id}::uuid`);

    await runNow();
    expect(await statusOf(invited.id)).toBe("inactive");
    expect(await statusOf(freshInvite.id)).toBe("invited");
    expect(await statusOf(manager.id)).toBe("active");
    expect(await statusOf(reactivated.id)).toBe("active");
    expect(await statusOf(owner.id)).toBe("active");
  });

  it("lists on /users, as the preview's filter, exactly the users the preview counts", async () => {
    const policy: DormantPolicy = {
      ...DORMANT.defaults,
      enabled: true,
      days: 30,
      warnDays: 0,
      excludeRoles: ["manager"],
      exemptDays: 10,
    };
    const invited = await addUser(t.db, { status: "invited" });
    await t.db.execute(sql`update users set last_sign_in_at = null,
      status_changed_at = now() - interval '31 days' where id = ${invited.id}::uuid`);
    const dormant = await signedInDaysAgo(100);
    const neverSignedIn = await signedInDaysAgo(null);
    await signedInDaysAgo(100, { role: "manager" });
    await signedInDaysAgo(100, { status: "inactive" });
    await signedInDaysAgo(10);
    const reactivated = await signedInDaysAgo(100);
    await t.db.execute(sql`
      insert into audit_events (at, actor_id, action, target_id, from_status, to_status)
      values (now() - interval '3 days', ${admin.id}::uuid, 'reactivate', ${reactivated.id}::uuid, 'inactive', 'active')`);
    await t.db.execute(sql`update users set last_sign_in_at = now() - interval '100 days'
      where id = ${owner.id}::uuid`);

    const now = new Date();
    const { count } = await previewDormant(t.db, { now, policy });
    // The preview's link, read back as /users reads its URL.
    const url = usersViewQuery({ dormant: dormantFilterOf(policy) });
    const view = parseUsersView(new URLSearchParams(url.slice(1)));
    expect(view.dormant).toEqual(dormantFilterOf(policy));
    const [raw] = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from users where ${DORMANT.where(DORMANT.freeze(policy, now))}`,
    );
    expect(count).toBe(3);
    expect(raw?.n).toBe(count);
    const [listed] = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from users where ${usersFilterWhere(view, now)}`,
    );
    expect(listed?.n).toBe(count);
    expect(await countMatching(t.db, usersFilterOf(view))).toBe(count);
    expect(await viewTotal(t.db, usersFilterOf(view))).toEqual({ n: count, capped: false });
    const page = await listUsers(t.db, view);
    expect(page.rows.map((r) => r.id).sort()).toEqual(
      [invited.id, dormant.id, neverSignedIn.id].sort(),
    );
  });

  it("warns once, warnDays before, through the outbox; a sign-in after it starts over", async () => {
    await save({ days: 90, warnDays: 7 });
    const soon = await signedInDaysAgo(85);
    const later = await signedInDaysAgo(80);
    expect(
      (await previewDormant(t.db, { now: new Date(), policy: await readPolicy(t.db, DORMANT) }))
        .warnCount,
    ).toBe(1);
    await runNow();
    const mails = async () =>
      queryRows<{ user_id: string; subject: string; body: string }>(
        t.db,
        sql`select user_id, subject, body from outbox where kind = 'dormant-warning' order by id`,
      );
    expect((await mails()).map((m) => m.user_id)).toEqual([soon.id]);
    expect((await mails())[0]?.body).toContain("within 7 days");
    expect(await statusOf(soon.id)).toBe("active");
    // The next day's run warns nobody twice.
    await runNow();
    expect((await mails()).length).toBe(1);
    expect(later.id).toBeTruthy();
  });

  it("runs once a day however many instances tick at once; another day runs again", async () => {
    await save({ days: 90, warnDays: 0 });
    const dormant = await signedInDaysAgo(120);
    // Today at noon UTC: "a minute later" must be the same day (run at 23:59:53, a minute later
    // was tomorrow, and that tick spent tomorrow's run).
    const now = new Date();
    now.setUTCHours(12, 0, 0, 0);
    const ticks = await Promise.all([1, 2, 3].map(() => scheduleDuePolicies(t.db, now)));
    const jobIds = ticks.flat();
    expect(jobIds).toHaveLength(1);
    expect(await scheduleDuePolicies(t.db, new Date(now.getTime() + 60_000))).toEqual([]);
    // Two runners on the one job (one killed mid-run, taken over): nobody changes twice.
    const jobId = jobIds[0] as string;
    await Promise.all([runJob(t.db, jobId), runJob(t.db, jobId)]);
    expect(await statusOf(dormant.id)).toBe("inactive");
    const [events] = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from audit_events where target_id = ${dormant.id}::uuid and action = 'deactivate'`,
    );
    expect(events?.n).toBe(1);
    const [job] = await queryRows<{ kind: string; status: string; done: number }>(
      t.db,
      sql`select kind, status, done from jobs where id = ${jobId}::uuid`,
    );
    expect(job).toEqual({ kind: jobKind(DORMANT), status: "done", done: 1 });
    // Its frozen users went with its batches.
    const [items] = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from job_items where job_id = ${jobId}::uuid`,
    );
    expect(items?.n).toBe(0);
    // Tomorrow: a new period, a new run.
    expect(await scheduleDuePolicies(t.db, new Date(now.getTime() + DAY))).toHaveLength(1);
  });
});
