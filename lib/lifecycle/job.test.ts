import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { queryRows } from "@/db/client";
import type { User } from "@/db/schema";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "@/db/testing";
import { jobsByIds, requestJobCancel } from "@/lib/jobs/queries";
import { claimJob, LEASE_MS } from "@/lib/jobs/runner";
import { eligibleNewOwners } from "@/lib/users/ownership";
import {
  addOwnerAndAdmins,
  addRecords,
  addUsers,
  asActor,
  run,
  searchSelection,
} from "@/lib/users/testing/fixtures";
import { runLifecycleBatch } from "./job";

type JobState = { status: string; cursor: number; total: number; done: number; skipped: number };

async function jobState(t: TestDatabase, id: string): Promise<JobState> {
  const [row] = await queryRows<JobState>(
    t.db,
    sql`select status, cursor, total, done, skipped from jobs where id = ${id}::uuid`,
  );
  if (!row) throw new Error("no job");
  return row;
}

/** Per target of the job: how many audit events carry the job id (must never exceed 1). */
async function auditCounts(t: TestDatabase, jobId: string) {
  return queryRows<{ target_id: string; n: number }>(
    t.db,
    sql`select target_id, count(*)::int as n from audit_events where job_id = ${jobId}::uuid group by target_id`,
  );
}

async function itemsLeft(t: TestDatabase, jobId: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    t.db,
    sql`select count(*)::int as n from job_items where job_id = ${jobId}::uuid`,
  );
  return Number(row?.n ?? 0);
}

describe.each(TEST_DRIVERS)("lifecycle jobs on %s", (driver) => {
  let t: TestDatabase;
  let admin: User;
  let newOwner: User;

  beforeAll(async () => {
    vi.stubEnv("ROSTER_JOB_THRESHOLD", "10");
    t = await createTestDatabase(driver);
    [, admin, newOwner] = await addOwnerAndAdmins(t.db);
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await t?.close();
  });

  /** 25 members named after a tag (so a search selects exactly them), every 4th owning records. */
  async function members(n = 25) {
    const tag = `Jobtag${randomBytes(3).toString("hex")}`;
    const list = await addUsers(
      t.db,
      Array.from({ length: n }, (_, i) => ({ name: `${tag} ${String(i).padStart(2, "0")}` })),
    );
    for (const [i, u] of list.entries())
      if (i % 4 === 0) await addRecords(t.db, u.id, { project: 2, automation: 1 });
    return { list, selection: searchSelection(tag) };
  }

  async function startArchive(selection: Awaited<ReturnType<typeof members>>["selection"]) {
    const started = await run(t.db, asActor(admin), "archive", {
      selection,
      newOwnerId: newOwner.id,
      reason: "Reorg",
    });
    if (!started.ok || !started.job) throw new Error(`no job: ${JSON.stringify(started)}`);
    return started.job;
  }

  it("a selection above the threshold is frozen into a job; batches apply once each, even when one fails inside its transaction", async () => {
    const { list, selection } = await members();
    const job = await startArchive(selection);
    expect(job.total).toBe(25);
    // Changed by someone else after the job was frozen: skipped as a conflict.
    await t.db.execute(
      sql`update users set status = 'inactive' where id = ${(list[24] as User).id}::uuid`,
    );

    expect(await runLifecycleBatch(t.db, job.id, { batchSize: 10 })).toBe("more");
    const afterOne = await jobState(t, job.id);
    expect(afterOne).toMatchObject({ status: "running", cursor: 10 });
    expect(afterOne.done + afterOne.skipped).toBe(10);
    expect(await itemsLeft(t, job.id)).toBe(15);

    // A batch that dies after moving records and changing statuses leaves nothing behind.
    await expect(
      runLifecycleBatch(t.db, job.id, {
        batchSize: 10,
        hooks: {
          afterStatus: () => {
            throw new Error("killed inside the batch");
          },
        },
      }),
    ).rejects.toThrow("killed inside the batch");
    expect(await jobState(t, job.id)).toEqual(afterOne);
    expect(await auditCounts(t, job.id)).toHaveLength(afterOne.done);
    expect(await itemsLeft(t, job.id)).toBe(15);

    while ((await runLifecycleBatch(t.db, job.id, { batchSize: 10 })) === "more") {}
    expect(await jobState(t, job.id)).toMatchObject({
      status: "done",
      cursor: 25,
      done: 24,
      skipped: 1,
    });
    const counts = await auditCounts(t, job.id);
    expect(counts).toHaveLength(24);
    expect(counts.every((c) => c.n === 1)).toBe(true);
    const left = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from projects where owner_id = any(${`{${list.map((u) => u.id).join(",")}}`}::uuid[])`,
    );
    // Only the one skipped (it owns records: 24 % 4 = 0) keeps its 2 projects.
    expect(left[0]?.n).toBe(2);
    const [view] = await jobsByIds(t.db, [job.id], "owner");
    expect(view).toMatchObject({ status: "done", done: 24, skipped: 1, remaining: 0 });
    // The frozen selection went batch by batch with the batches.
    expect(await itemsLeft(t, job.id)).toBe(0);
    expect(view?.skippedByReason).toEqual({ conflict: 1 });
  });

  it("the frozen items follow the rows' places in the table, not their ids (a batch touches few pages)", async () => {
    const { list, selection } = await members();
    const job = await startArchive(selection);
    const ids = `{${list.map((u) => u.id).join(",")}}`;
    const frozen = await queryRows<{ id: string }>(
      t.db,
      sql`select user_id as id from job_items where job_id = ${job.id}::uuid order by seq`,
    );
    const inTable = await queryRows<{ id: string }>(
      t.db,
      sql`select id from users where id = any(${ids}::uuid[]) order by ctid`,
    );
    const byId = [...list.map((u) => u.id)].sort();
    expect(frozen.map((r) => r.id)).toEqual(inTable.map((r) => r.id));
    // 25 random ids: in id order they would (almost surely) be in another order.
    expect(frozen.map((r) => r.id)).not.toEqual(byId);
    await requestJobCancel(t.db, job.id);
    await runLifecycleBatch(t.db, job.id);
  });

  it("the new owner may be an admin in the selection the actor can't change (as the owner search offers), not a member it changes", async () => {
    const { list, selection } = await members();
    const tag = selection.filter.q;
    // An admin matching the same search: in the selection, skipped by every batch (rank).
    const [peer] = await addUsers(t.db, [{ name: `${tag} admin`, role: "admin" }]);
    if (!peer) throw new Error("no peer");
    const offered = await eligibleNewOwners(t.db, {
      query: tag,
      selection: { selection, actor: asActor(admin), action: "archive" },
    });
    expect(offered.map((o) => o.id)).toEqual([peer.id]);

    const refused = await run(t.db, asActor(admin), "archive", {
      selection,
      newOwnerId: (list[0] as User).id,
    });
    expect(refused).toMatchObject({ ok: false });
    expect(refused.ok ? "" : refused.error).toMatch(/can't be one of the users you archive/);

    const started = await run(t.db, asActor(admin), "archive", {
      selection,
      newOwnerId: peer.id,
    });
    if (!started.ok || !started.job) throw new Error(`no job: ${JSON.stringify(started)}`);
    expect(started.job.total).toBe(26);
    while ((await runLifecycleBatch(t.db, started.job.id, { batchSize: 10 })) === "more") {}
    expect(await jobState(t, started.job.id)).toMatchObject({
      status: "done",
      done: 25,
      skipped: 1,
    });
    const [moved] = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from projects where owner_id = ${peer.id}::uuid`,
    );
    // Every 4th of the 25 owns 2 projects: 7 owners.
    expect(moved?.n).toBe(14);
  });

  it("cancel: what is done stays done, the rest is left alone and reported", async () => {
    const { list, selection } = await members();
    const job = await startArchive(selection);
    await runLifecycleBatch(t.db, job.id, { batchSize: 10 });
    expect(await requestJobCancel(t.db, job.id)).toBe(true);
    expect(await runLifecycleBatch(t.db, job.id, { batchSize: 10 })).toBe("finished");
    const [view] = await jobsByIds(t.db, [job.id], "owner");
    expect(view).toMatchObject({ status: "cancelled", done: 10, remaining: 15 });
    expect(await itemsLeft(t, job.id)).toBe(0);
    const statuses = await queryRows<{ status: string; n: number }>(
      t.db,
      sql`select status, count(*)::int as n from users where id = any(${`{${list.map((u) => u.id).join(",")}}`}::uuid[]) group by status order by status`,
    );
    expect(statuses).toEqual([
      { status: "active", n: 15 },
      { status: "archived", n: 10 },
    ]);
    expect(await requestJobCancel(t.db, job.id)).toBe(false);
  });

  it("a runner's lease keeps others off its job until it runs out (a crashed runner's job is taken over)", async () => {
    const { selection } = await members(12);
    const job = await startArchive(selection);
    const now = new Date();
    const first = await claimJob(t.db, "runner-a", now);
    expect(first?.id).toBe(job.id);
    expect((await claimJob(t.db, "runner-b", now))?.id).not.toBe(job.id);
    const later = new Date(now.getTime() + LEASE_MS + 1000);
    expect((await claimJob(t.db, "runner-b", later))?.id).toBe(job.id);
    while ((await runLifecycleBatch(t.db, job.id, { batchSize: 5 })) === "more") {}
    expect(await jobState(t, job.id)).toMatchObject({ status: "done", done: 12 });
  });
});

// Concurrency and crashes mean something only on the server: PGlite has one connection.
describe.each(TEST_DRIVERS.filter((d) => d === "postgres"))(
  "lifecycle jobs killed on %s",
  (driver) => {
    let t: TestDatabase;
    let admin: User;
    let newOwner: User;

    beforeAll(async () => {
      vi.stubEnv("ROSTER_JOB_THRESHOLD", "10");
      t = await createTestDatabase(driver);
      [, admin, newOwner] = await addOwnerAndAdmins(t.db);
    });
    afterAll(async () => {
      vi.unstubAllEnvs();
      await t?.close();
    });

    it("a worker process killed inside a batch and between batches: the job resumes and no batch is applied twice", async () => {
      const tag = `Killtag${randomBytes(3).toString("hex")}`;
      const list = await addUsers(
        t.db,
        Array.from({ length: 40 }, (_, i) => ({ name: `${tag} ${String(i).padStart(2, "0")}` })),
      );
      for (const u of list.slice(0, 10)) await addRecords(t.db, u.id, { project: 1 });
      const started = await run(t.db, asActor(admin), "archive", {
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
        newOwnerId: newOwner.id,
      });
      if (!started.ok || !started.job) throw new Error(JSON.stringify(started));
      const job = started.job;
      const worker = path.join(process.cwd(), "lib/lifecycle/testing/kill-worker.ts");
      const killAt = async (line: string) => {
        const child = spawn(
          process.execPath,
          ["--import", "tsx", worker, t.url as string, job.id, "10"],
          {
            stdio: ["ignore", "pipe", "inherit"],
          },
        );
        await new Promise<void>((resolve, reject) => {
          let out = "";
          child.stdout.on("data", (chunk: Buffer) => {
            out += chunk.toString();
            if (out.includes(`${line}\n`)) {
              child.kill("SIGKILL");
              resolve();
            }
          });
          child.on("exit", () => reject(new Error(`worker ended before "${line}": ${out}`)));
        });
        await new Promise((resolve) => child.once("exit", resolve));
      };
      await killAt("inside 2"); // batch 1 committed, batch 2 dies before its commit
      expect(await jobState(t, job.id)).toMatchObject({ cursor: 10, done: 10 });
      expect(await auditCounts(t, job.id)).toHaveLength(10);
      await killAt("committed 1"); // a new worker resumes at batch 2, dies between batches
      expect(await jobState(t, job.id)).toMatchObject({ cursor: 20, done: 20 });
      while ((await runLifecycleBatch(t.db, job.id, { batchSize: 10 })) === "more") {}
      expect(await jobState(t, job.id)).toMatchObject({ status: "done", cursor: 40, done: 40 });
      const counts = await auditCounts(t, job.id);
      expect(counts).toHaveLength(40);
      expect(counts.every((c) => c.n === 1)).toBe(true);
      const archived = await queryRows<{ n: number }>(
        t.db,
        sql`select count(*)::int as n from users where status = 'archived' and id = any(${`{${list.map((u) => u.id).join(",")}}`}::uuid[])`,
      );
      expect(archived[0]?.n).toBe(40);
    }, 60_000);
  },
);
