import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import type { User } from "@/db/schema";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "@/db/testing";
import { authenticate } from "@/lib/authenticate";
import { claimJob } from "@/lib/jobs/runner";
import { expiryJobHandler } from "@/lib/lifecycle/expiry-job";
import { signInMessage } from "@/lib/sign-in-messages";
import {
  aDayFromNow,
  addOwnerAndAdmins,
  addUsers,
  asActor,
  auditFor,
  run,
  selectionOf,
} from "./testing/fixtures";

const PASSWORD = "the-right-password";
const quickVerify = async (password: string, stored: string | null) =>
  stored !== null && password === PASSWORD;

describe.each(TEST_DRIVERS)("suspend until… on %s", (driver) => {
  let t: TestDatabase;
  let admin: User;

  beforeAll(async () => {
    t = await createTestDatabase(driver);
    [, admin] = await addOwnerAndAdmins(t.db);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function suspendedUntil(id: string) {
    const [row] = await queryRows<{ status: string; until: string | null }>(
      t.db,
      sql`select status, suspended_until as until from users where id = ${id}::uuid`,
    );
    return { status: row?.status, until: row?.until ? new Date(row.until).toISOString() : null };
  }

  it("refuses sign-in until the time, then the runner makes them active at that minute, as the system", async () => {
    const [member] = (await addUsers(t.db, [{ status: "active" }])) as [User];
    await t.db.execute(sql`update users set password_hash = 'x' where id = ${member.id}::uuid`);
    const until = aDayFromNow();
    const result = await run(t.db, asActor(admin), "suspend", {
      selection: selectionOf([member]),
      options: { until },
    });
    expect(result).toMatchObject({ ok: true, done: 1 });
    expect(await suspendedUntil(member.id)).toEqual({ status: "inactive", until });

    const signIn = await authenticate(
      t.db,
      { email: member.email, password: PASSWORD, address: `10.0.0.${driver.length}` },
      { verify: quickVerify },
    );
    expect(signIn.ok).toBe(false);
    const code = signIn.ok ? null : signIn.code;
    expect(code).toBe(`deactivated-until-${until.slice(0, 16)}Z`);
    expect(signInMessage(code)).toMatch(
      /^Your account has been deactivated until \w{3} \d+, \d{4}, .+ UTC\./,
    );

    // A minute before its time, the runner leaves the job alone; at the minute, it runs it.
    const at = new Date(until);
    expect(await claimJob(t.db, "test-runner", new Date(at.getTime() - 60_000))).toBeNull();
    const job = await claimJob(t.db, "test-runner", at);
    expect(job?.kind).toBe("expiry");
    if (!job) throw new Error("no job");
    await expiryJobHandler(t.db, job);

    expect(await suspendedUntil(member.id)).toEqual({ status: "active", until: null });
    const events = await auditFor(t.db, [member.id]);
    expect(events.map((e) => [e.action, e.actor_id, e.from_status, e.to_status, e.reason])).toEqual(
      [
        ["suspend", admin.id, "active", "inactive", null],
        ["reactivate", null, "inactive", "active", "Policy: suspension ends"],
      ],
    );
    const [state] = await queryRows<{ status: string; done: number }>(
      t.db,
      sql`select status, done from jobs where id = ${job.id}::uuid`,
    );
    expect(state).toEqual({ status: "done", done: 1 });
    expect(await claimJob(t.db, "test-runner", new Date(at.getTime() + 60_000))).toBeNull();
  });

  it("leaves alone whoever left the suspension since (reactivated, then deactivated)", async () => {
    const [member] = (await addUsers(t.db, [{ status: "active" }])) as [User];
    const until = aDayFromNow();
    const actor = asActor(admin);
    await run(t.db, actor, "suspend", { selection: selectionOf([member]), options: { until } });
    await run(t.db, actor, "reactivate", {
      selection: selectionOf([{ ...member, status: "inactive" }]),
    });
    await run(t.db, actor, "deactivate", {
      selection: selectionOf([{ ...member, status: "active" }]),
    });
    expect(await suspendedUntil(member.id)).toEqual({ status: "inactive", until: null });
    const job = await claimJob(t.db, "test-runner", new Date(until));
    if (!job) throw new Error("no job");
    await expiryJobHandler(t.db, job);
    expect((await suspendedUntil(member.id)).status).toBe("inactive");
  });

  it("refuses a time that has passed, and no time at all", async () => {
    const [member] = (await addUsers(t.db, [{ status: "active" }])) as [User];
    const past = await run(t.db, asActor(admin), "suspend", {
      selection: selectionOf([member]),
      options: { until: "2001-01-01T00:00:00.000Z" },
    });
    expect(past).toEqual({ ok: false, error: "Choose a time in the future." });
    // The server action's input asks for the time (the pipeline parses the same schema).
    expect(() =>
      run(t.db, asActor(admin), "suspend", { selection: selectionOf([member]), options: {} }),
    ).toThrow(/until/);
    expect((await suspendedUntil(member.id)).status).toBe("active");
  });
});
