import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { queryRows } from "@/db/client";
import type { User } from "@/db/schema";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "@/db/testing";
import { dismissJob, jobsByIds, listJobs, openJobs } from "@/lib/jobs/queries";
import {
  addOwnerAndAdmins,
  addRecords,
  addUsers,
  asActor,
  run,
  searchSelection,
  selectionOf,
} from "@/lib/users/testing/fixtures";
import { runLifecycleBatch } from "./job";
import { previewJobUndo, startJobUndo } from "./undo";

// Issue 19: what a finished job leaves. Its card is for the admin who started it, once (they
// can dismiss it), says what the confirmation said, and others find it on /jobs (item 4). A job
// of a verb with an inverse can be undone, as a job, on exactly the users it changed (its audit
// events carry its id), skipping anyone changed since (item 1).

describe.each(TEST_DRIVERS)("a finished job on %s", (driver) => {
  let t: TestDatabase;
  let admin: User;
  let otherAdmin: User;

  beforeAll(async () => {
    vi.stubEnv("ROSTER_JOB_THRESHOLD", "10");
    t = await createTestDatabase(driver);
    [, admin, otherAdmin] = await addOwnerAndAdmins(t.db);
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await t?.close();
  });

  async function finish(id: string) {
    for (let i = 0; i < 20 && (await runLifecycleBatch(t.db, id)) === "more"; i++);
  }

  /** `n` members and the `extra` users, all found by one search. */
  async function tagged(n: number, extra: Parameters<typeof addUsers>[1] = []) {
    const tag = `Jobtag${randomBytes(3).toString("hex")}`;
    const list = await addUsers(t.db, [
      ...Array.from({ length: n }, (_, i) => ({ name: `${tag} ${i}` })),
      ...extra.map((u) => ({ ...u, name: `${tag} ${u.name}` })),
    ]);
    return { list, selection: searchSelection(tag) };
  }

  /** 12 members and an admin (ranked like the actor: skipped), deactivated as a job. */
  async function startDeactivate() {
    const { selection } = await tagged(12, [{ name: "Admin", role: "admin" }]);
    const started = await run(t.db, asActor(admin), "deactivate", { selection });
    if (!started.ok || !started.job) throw new Error(`no job: ${JSON.stringify(started)}`);
    return started.job.id;
  }

  const undo = (jobId: string, now?: Date) =>
    startJobUndo(t.db, { actor: asActor(admin), jobId, seatLimit: 1_000_000, now });

  const statuses = async (ids: string[]) =>
    (
      await queryRows<{ id: string; status: string }>(
        t.db,
        sql`select id, status from users where id = any(${`{${ids.join(",")}}`}::uuid[]) order by id`,
      )
    ).map((r) => r.status);

  it("says who changes and who is skipped, as the confirmation did", async () => {
    const id = await startDeactivate();
    const [job] = await jobsByIds(t.db, [id], "admin");
    expect(job?.total).toBe(13);
    expect(job?.planned).toEqual({ changes: 12, skipped: 1, skippedByReason: { rank: 1 } });
    await finish(id);
  });

  it("shows a finished job to its starter until dismissed; other admins find it on /jobs", async () => {
    const id = await startDeactivate();
    // While it runs, everyone sees it.
    expect((await openJobs(t.db, admin)).map((j) => j.id)).toContain(id);
    expect((await openJobs(t.db, otherAdmin)).map((j) => j.id)).toContain(id);
    await finish(id);
    expect((await openJobs(t.db, admin)).map((j) => j.id)).toContain(id);
    expect((await openJobs(t.db, otherAdmin)).map((j) => j.id)).not.toContain(id);
    expect((await listJobs(t.db, "admin")).map((j) => j.id)).toContain(id);

    // Only the starter dismisses it, and then it is gone from their /users, not from /jobs.
    expect(await dismissJob(t.db, id, otherAdmin.id)).toBe(false);
    expect(await dismissJob(t.db, id, admin.id)).toBe(true);
    expect((await openJobs(t.db, admin)).map((j) => j.id)).not.toContain(id);
    expect((await listJobs(t.db, "admin")).map((j) => j.id)).toContain(id);
  });

  it("reactivates exactly whom the job deactivated, skipping and counting who changed since", async () => {
    const { list, selection } = await tagged(12);
    // Inactive before the job: the Undo must leave them be.
    const [before] = await addUsers(t.db, [{ name: "Undo bystander", status: "inactive" }]);
    const started = await run(t.db, asActor(admin), "deactivate", { selection });
    if (!started.ok || !started.job) throw new Error("no job");
    await finish(started.job.id);
    // Changed since: reactivated by hand.
    const moved = list[0] as User;
    await run(t.db, asActor(admin), "reactivate", {
      selection: selectionOf([{ id: moved.id, status: "inactive" }]),
    });

    expect(await previewJobUndo(t.db, asActor(admin), started.job.id)).toEqual({
      ok: true,
      action: "reactivate",
      changes: 11,
      changedSince: 1,
    });
    const undone = await undo(started.job.id);
    if (!undone.ok || !undone.job) throw new Error(`no undo: ${JSON.stringify(undone)}`);
    await finish(undone.job.id);
    const [job] = await jobsByIds(t.db, [undone.job.id], "admin");
    expect(job).toMatchObject({ action: "reactivate", status: "done", done: 11, skipped: 1 });
    expect(job?.skippedByReason).toEqual({ conflict: 1 });
    expect(await statuses(list.map((u) => u.id))).toEqual(list.map(() => "active"));
    expect(await statuses([before?.id ?? ""])).toEqual(["inactive"]);
    const [events] = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from audit_events e join audit_reasons r on r.id = e.reason_id
          where e.job_id = ${undone.job.id}::uuid and r.text = 'Undo'`,
    );
    expect(Number(events?.n)).toBe(11);

    // Once undone, nothing is left to undo.
    expect(await undo(started.job.id)).toEqual({
      ok: false,
      error: "Nothing is left to undo: everyone it changed has changed since.",
    });
  });

  it("restores an archive job's users and gives their records back, as a single Undo does", async () => {
    const { list, selection } = await tagged(12);
    const owners = list.slice(0, 3);
    for (const u of owners) await addRecords(t.db, u.id, { project: 2, automation: 1 });
    const started = await run(t.db, asActor(admin), "archive", {
      selection,
      newOwnerId: otherAdmin.id,
    });
    if (!started.ok || !started.job) throw new Error("no job");
    await finish(started.job.id);
    const undone = await undo(started.job.id);
    if (!undone.ok || !undone.job) throw new Error(`no undo: ${JSON.stringify(undone)}`);
    await finish(undone.job.id);
    expect(await statuses(list.map((u) => u.id))).toEqual(list.map(() => "active"));
    const back = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from projects where owner_id = any(${`{${owners.map((u) => u.id).join(",")}}`}::uuid[])`,
    );
    expect(Number(back[0]?.n)).toBe(6);
  });

  it("is offered once the job has ended, for as long as its card shows", async () => {
    const { selection } = await tagged(11);
    const started = await run(t.db, asActor(admin), "deactivate", { selection });
    if (!started.ok || !started.job) throw new Error("no job");
    expect(await undo(started.job.id)).toEqual({
      ok: false,
      error: "The job hasn't finished yet.",
    });
    await finish(started.job.id);
    const late = new Date(Date.now() + 11 * 60_000);
    expect(await undo(started.job.id, late)).toEqual({
      ok: false,
      error: "Undo was available for 10 minutes after the job ended.",
    });
  });
});
