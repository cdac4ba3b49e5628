import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import type { User } from "@/db/schema";
import { TEST_DRIVERS } from "@/db/testing";
import { useTestDatabase } from "@/db/testing-hooks";
import { verifyAuditChain } from "@/lib/audit/chain";
import { addOwnerAndAdmins, addRecords, addUser, asActor } from "@/lib/users/testing/fixtures";
import { changeSetting } from "@/lib/workspace-settings";
import { policyJobHandler, runPolicyNow, savePolicy } from "./define";
import { NO_DEFAULT_OWNER, RETENTION, retentionPolicySchema } from "./retention";

describe("what a retention policy may be", () => {
  it("takes a whole number of days, at least 1", () => {
    expect(retentionPolicySchema.safeParse({ enabled: true, days: "30" }).success).toBe(true);
    for (const days of [0, -1, 1.5, "x", 4000]) {
      expect(retentionPolicySchema.safeParse({ enabled: true, days }).success, String(days)).toBe(
        false,
      );
    }
  });
});

describe.each(TEST_DRIVERS)("the retention policy on %s", (driver) => {
  const t = useTestDatabase(driver);
  let admin: User;

  beforeAll(async () => {
    [, admin] = await addOwnerAndAdmins(t.db);
  });

  const archivedDaysAgo = async (days: number) => {
    const user = await addUser(t.db, { status: "archived", previousStatus: "active" });
    await t.db.execute(sql`update users set status_changed_at = now() - ${`${days} days`}::interval
      where id = ${user.id}::uuid`);
    return user;
  };
  const exists = async (id: string) =>
    (await queryRows(t.db, sql`select 1 from users where id = ${id}::uuid`)).length === 1;
  const projectsOf = async (id: string) =>
    Number(
      (
        await queryRows<{ n: number }>(
          t.db,
          sql`select count(*)::int as n from projects where owner_id = ${id}::uuid`,
        )
      )[0]?.n,
    );

  it("deletes exactly the users archived for longer than its days, records to the default owner", async () => {
    const saved = await savePolicy(t.db, RETENTION, {
      actor: asActor(admin),
      policy: { enabled: true, days: 30 },
      requestId: "test",
    });
    expect(saved).toEqual({ ok: true, changed: true });
    const old = await archivedDaysAgo(31);
    const recent = await archivedDaysAgo(29);
    const inactive = await addUser(t.db, { status: "inactive" });
    await t.db.execute(sql`update users set status_changed_at = now() - interval '400 days'
      where id = ${inactive.id}::uuid`);
    await addRecords(t.db, old.id, { project: 2 });

    // No default owner yet: refused, nothing changes.
    expect(await runPolicyNow(t.db, RETENTION, { actor: asActor(admin), now: new Date() })).toEqual(
      { ok: false, error: NO_DEFAULT_OWNER },
    );
    expect(await exists(old.id)).toBe(true);

    const set = await changeSetting(t.db, {
      actor: asActor(admin),
      change: { setting: "defaultOwner", value: admin.email },
      requestId: "test",
    });
    expect(set.ok).toBe(true);
    const run = await runPolicyNow(t.db, RETENTION, { actor: asActor(admin), now: new Date() });
    if (!run.ok) throw new Error(run.error);
    expect(run.total).toBe(1);
    const [job] = await queryRows<{ id: string; params: unknown }>(
      t.db,
      sql`select id, params from jobs where id = ${run.jobId}::uuid`,
    );
    if (!job) throw new Error("no job");
    expect(await policyJobHandler(RETENTION, "http://roster.test")(t.db, job)).toBe("finished");

    expect(await exists(old.id)).toBe(false);
    expect(await exists(recent.id)).toBe(true);
    expect(await exists(inactive.id)).toBe(true);
    expect(await projectsOf(admin.id)).toBe(2);
    const [deleted] = await queryRows<{ actor_id: string | null; reason: string | null }>(
      t.db,
      sql`select e.actor_id, r.text as reason from audit_events e
          left join audit_reasons r on r.id = e.reason_id
          where e.target_id = ${old.id}::uuid and e.action = 'delete'`,
    );
    // The erasure redacted every reason about them, the policy's name on its own event too.
    expect(deleted).toEqual({ actor_id: null, reason: null });
    expect((await verifyAuditChain(t.db)).breaks).toEqual([]);
    const [done] = await queryRows<{ status: string; done: number }>(
      t.db,
      sql`select status, done from jobs where id = ${run.jobId}::uuid`,
    );
    expect(done).toEqual({ status: "done", done: 1 });
  });
});
