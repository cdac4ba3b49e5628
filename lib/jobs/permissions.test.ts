import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { User } from "@/db/schema";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "@/db/testing";
import { addUsers, asActor, run } from "@/lib/users/testing/fixtures";
import { cancelJobAs, jobsByIds, listJobs, openJobs } from "./queries";

describe.each(TEST_DRIVERS)("who sees and cancels a job on %s", (driver) => {
  let t: TestDatabase;
  let owner: User;
  let admin: User;
  let otherAdmin: User;
  let manager: User;

  beforeAll(async () => {
    vi.stubEnv("ROSTER_JOB_THRESHOLD", "1");
    t = await createTestDatabase(driver);
    [owner, admin, otherAdmin, manager] = (await addUsers(t.db, [
      { role: "owner" },
      { role: "admin" },
      { role: "admin" },
      { role: "manager" },
    ])) as [User, User, User, User];
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await t?.close();
  });

  async function deactivateJob(by: User): Promise<string> {
    const tag = `Jp${randomBytes(3).toString("hex")}`;
    await addUsers(t.db, [{ name: `${tag} a` }, { name: `${tag} b` }]);
    const started = await run(t.db, asActor(by), "deactivate", {
      selection: {
        kind: "filter",
        filter: {
          tab: "active",
          q: tag,
          roles: [],
          neverSignedIn: false,
          lastSignInBefore: null,
          accessEnding: false,
        },
        excludeIds: [],
      },
    });
    if (!started.ok || !started.job) throw new Error(`no job: ${JSON.stringify(started)}`);
    return started.job.id;
  }

  it("seeing a job needs the action's permission", async () => {
    const id = await deactivateJob(admin);
    expect((await listJobs(t.db, "admin")).map((j) => j.id)).toContain(id);
    expect((await listJobs(t.db, "manager")).map((j) => j.id)).not.toContain(id);
    expect((await openJobs(t.db, asActor(otherAdmin))).map((j) => j.id)).toContain(id);
    expect((await openJobs(t.db, asActor(manager))).map((j) => j.id)).not.toContain(id);
    expect(await jobsByIds(t.db, [id], "support")).toEqual([]);
    expect(await jobsByIds(t.db, [id], "owner")).toHaveLength(1);
  });

  it("cancelling needs it too, and never a job started by a higher rank", async () => {
    const ownersJob = await deactivateJob(owner);
    expect(await cancelJobAs(t.db, asActor(admin), ownersJob)).toMatchObject({ ok: false });
    expect(await cancelJobAs(t.db, asActor(manager), ownersJob)).toMatchObject({ ok: false });
    const [still] = await jobsByIds(t.db, [ownersJob], "owner");
    expect(still?.cancelRequested).toBe(false);
    expect(await cancelJobAs(t.db, asActor(owner), ownersJob)).toEqual({ ok: true });
    // An equal rank may: another admin's job.
    const adminsJob = await deactivateJob(admin);
    expect(await cancelJobAs(t.db, asActor(manager), adminsJob)).toMatchObject({ ok: false });
    expect(await cancelJobAs(t.db, asActor(otherAdmin), adminsJob)).toEqual({ ok: true });
  });
});
