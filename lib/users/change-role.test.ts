import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Executor, queryRows } from "@/db/client";
import { USER_ROLES, type User, type UserRole, type UserStatus } from "@/db/schema";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "@/db/testing";
import { listAuditEvents } from "@/lib/audit/queries";
import { AUDIT_DEFAULTS } from "@/lib/audit/view";
import { applyLifecycleAction, previewLifecycleAction } from "@/lib/lifecycle/apply";
import { runLifecycleBatch } from "@/lib/lifecycle/job";
import { USER_STATUSES } from "@/model/statuses";
import {
  addUsers,
  asActor,
  auditFor,
  run,
  searchSelection,
  selectionOf,
  snapshot,
} from "./testing/fixtures";
import type { SkipCode, VerbResult } from "./verb-types";
import { lifecycleInputSchema } from "./verbs/input";

/**
 * Change role, cell by cell: every actor role × target role (and themselves) × new role, each in
 * a transaction rolled back afterwards. The expectations are the product's words (issue 16 §4,
 * docs/lifecycle.md), written here without the planner.
 */

const DENIED = "You don't have permission to change roles.";
const OWNER_ROLE = "The owner role moves only by Transfer workspace ownership.";
const BELOW = "Choose a role below your own.";

/** Highest first, like USER_ROLES: the smaller the index, the higher the rank. */
const above = (a: UserRole, b: UserRole) => USER_ROLES.indexOf(a) < USER_ROLES.indexOf(b);

type Expected =
  | { kind: "refused"; error: string }
  | { kind: "skipped"; code: SkipCode }
  | { kind: "done" };

function expectedOutcome(actor: User, target: User, role: UserRole): Expected {
  // Only admins and the owner change roles (SPEC: managers approve, support helps; neither
  // changes who may do what).
  if (actor.role !== "owner" && actor.role !== "admin") return { kind: "refused", error: DENIED };
  if (role === "owner") return { kind: "refused", error: OWNER_ROLE };
  // Nobody raises anyone to their own rank or above.
  if (!above(actor.role, role)) return { kind: "refused", error: BELOW };
  if (target.id === actor.id) return { kind: "skipped", code: "self" };
  if (target.role === "owner") return { kind: "skipped", code: "owner" };
  if (!above(actor.role, target.role)) return { kind: "skipped", code: "rank" };
  if (target.role === role) return { kind: "skipped", code: "unchanged" };
  return { kind: "done" };
}

class Rollback extends Error {}

async function rolledBack(db: Executor, body: (tx: Executor) => Promise<void>): Promise<void> {
  try {
    await db.transaction(async (tx) => {
      await body(tx);
      throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
}

async function roleOf(db: Executor, id: string): Promise<UserRole | undefined> {
  const [row] = await queryRows<{ role: UserRole }>(
    db,
    sql`select role from users where id = ${id}::uuid`,
  );
  return row?.role;
}

describe.each(TEST_DRIVERS)("change role on %s", (driver) => {
  let t: TestDatabase;
  const actors = new Map<UserRole, User>();
  /** One active user of every role below the owner's. */
  let targets: User[] = [];

  beforeAll(async () => {
    t = await createTestDatabase(driver);
    for (const u of await addUsers(
      t.db,
      USER_ROLES.map((role) => ({ role, name: `Actor ${role}` })),
    )) {
      actors.set(u.role, u);
    }
    targets = await addUsers(
      t.db,
      USER_ROLES.filter((r) => r !== "owner").map((role) => ({ role, name: `Target ${role}` })),
    );
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await t?.close();
  });

  const actor = (role: UserRole) => actors.get(role) as User;

  function check(label: string, result: VerbResult, expected: Expected, target: User) {
    if (expected.kind === "refused") {
      expect(result, label).toEqual({ ok: false, error: expected.error });
      return;
    }
    expect(result.ok, label).toBe(true);
    if (!result.ok) return;
    if (expected.kind === "skipped") {
      expect(result.done, label).toBe(0);
      expect(
        result.skipped.map((s) => [s.code, s.reason]),
        label,
      ).toEqual([[expected.code, expectedReason(expected.code)]]);
    } else {
      expect(result.done, label).toBe(1);
      expect(result.changed, label).toEqual([
        { id: target.id, name: target.name, status: target.status },
      ]);
    }
  }

  function expectedReason(code: SkipCode): string {
    return {
      self: "That's you: nobody acts on their own account.",
      owner: "The workspace owner can't be changed.",
      rank: "Ranks the same as or above you.",
      unchanged: "Already has that role.",
    }[code as string] as string;
  }

  for (const actorRole of USER_ROLES) {
    it(`${actorRole}: every target role (and themselves) × every new role, one at a time`, async () => {
      const a = actor(actorRole);
      const cells = [...targets, a, ...(actorRole === "owner" ? [] : [actor("owner")])];
      for (const target of cells) {
        for (const role of USER_ROLES) {
          const label = `${actorRole} makes ${target.name} (${target.role}) ${role}`;
          const expected = expectedOutcome(a, target, role);
          await rolledBack(t.db, async (tx) => {
            const before = await snapshot(tx);
            const result = await run(tx, asActor(a), "changeRole", {
              selection: selectionOf([target]),
              options: { role },
            });
            check(label, result, expected, target);
            if (expected.kind !== "done") {
              // Refused or skipped: nothing changed at all, not even the audit.
              expect(await snapshot(tx), label).toEqual(before);
              return;
            }
            expect(await roleOf(tx, target.id), label).toBe(role);
            // The status, its time and author, and the sessions are left as they were.
            const [row] = await queryRows<Record<string, unknown>>(
              tx,
              sql`select status, status_changed_at, status_changed_by, session_version
                  from users where id = ${target.id}::uuid`,
            );
            expect(row, label).toEqual({
              status: target.status,
              status_changed_at: target.statusChangedAt,
              status_changed_by: target.statusChangedBy,
              session_version: target.sessionVersion,
            });
            expect(await auditFor(tx, [target.id]), label).toEqual([
              {
                actor_id: a.id,
                action: "changeRole",
                target_id: target.id,
                from_status: target.status,
                to_status: target.status,
                records_moved: { roles: { [target.id]: [target.role, role] } },
                reason: null,
                request_id: "test-request",
              },
            ]);
          });
        }
      }
    });
  }

  it("covers every outcome somewhere (the matrix is not vacuous)", () => {
    const kinds = new Set<string>();
    for (const role of USER_ROLES) {
      const a = actor(role);
      for (const target of [...targets, a, actor("owner")]) {
        for (const to of USER_ROLES) {
          const e = expectedOutcome(a, target, to);
          kinds.add(e.kind === "refused" ? e.error : e.kind === "skipped" ? e.code : "done");
        }
      }
    }
    expect([...kinds].sort()).toEqual(
      [DENIED, OWNER_ROLE, BELOW, "self", "owner", "rank", "unchanged", "done"].sort(),
    );
  });

  it("applies to invited, active and inactive users; requests and the archived are skipped", async () => {
    const people = await addUsers(
      t.db,
      USER_STATUSES.map((status) => ({
        status,
        role: "member" as const,
        previousStatus: status === "archived" ? ("active" as const) : null,
      })),
    );
    await rolledBack(t.db, async (tx) => {
      const result = await run(tx, asActor(actor("admin")), "changeRole", {
        selection: selectionOf(people),
        options: { role: "support" },
      });
      if (!result.ok) throw new Error(result.error);
      const changed = Object.fromEntries(
        people.map((p) => [p.status, result.changed.some((c) => c.id === p.id)]),
      );
      expect(changed).toEqual({
        active: true,
        invited: true,
        inactive: true,
        pending: false,
        archived: false,
        rejected: false,
      });
      expect(result.skipped.every((s) => s.code === "status")).toBe(true);
      for (const p of people) {
        expect(await roleOf(tx, p.id)).toBe(changed[p.status] ? "support" : "member");
      }
    });
  });

  it("refuses malformed roles and missing options, at the action's door and in the pipeline, changing nothing", async () => {
    const [target] = (await addUsers(t.db, [{ role: "member" }])) as [User];
    const before = await snapshot(t.db);
    const selection = selectionOf([target]);
    for (const options of [{}, { role: "root" }, { role: "" }, { role: "member", extra: true }]) {
      const input = { action: "changeRole", selection, options };
      expect(lifecycleInputSchema.safeParse(input).success, JSON.stringify(options)).toBe(false);
      // The domain is called by more than the server action: it checks the options itself.
      const result = await applyLifecycleAction(t.db, {
        actor: asActor(actor("owner")),
        action: "changeRole",
        input: { selection, options: options as never, onConflict: "skip" },
        seatLimit: 1_000_000,
      });
      expect(result.ok, JSON.stringify(options)).toBe(false);
    }
    expect(await snapshot(t.db)).toEqual(before);
  });

  it("writes the audit in the change's transaction: a failure after it leaves neither", async () => {
    const [target] = (await addUsers(t.db, [{ role: "member" }])) as [User];
    const before = await snapshot(t.db);
    await expect(
      run(
        t.db,
        asActor(actor("admin")),
        "changeRole",
        { selection: selectionOf([target]), options: { role: "manager" } },
        {
          hooks: {
            afterStatus: () => {
              throw new Error("killed after the writes");
            },
          },
        },
      ),
    ).rejects.toThrow("killed after the writes");
    expect(await snapshot(t.db)).toEqual(before);
    expect(await roleOf(t.db, target.id)).toBe("member");
  });

  it("previews who changes and who already has the role, before and after the choice", async () => {
    const tag = `Roletag${randomBytes(3).toString("hex")}`;
    await addUsers(t.db, [
      { name: `${tag} A`, role: "member" },
      { name: `${tag} B`, role: "member" },
      { name: `${tag} C`, role: "support" },
      { name: `${tag} D`, role: "admin" },
    ]);
    const preview = (role?: UserRole) =>
      previewLifecycleAction(t.db, {
        actor: asActor(actor("admin")),
        action: "changeRole",
        selection: searchSelection(tag),
        options: role ? { role } : {},
        limit: 10,
        seatLimit: 1_000_000,
      });
    // No role chosen yet: everyone the admin outranks may change.
    expect(await preview()).toMatchObject({
      ok: true,
      willChangeCount: 3,
      skippedByReason: { rank: 1 },
    });
    expect(await preview("member")).toMatchObject({
      ok: true,
      willChangeCount: 1,
      skippedByReason: { rank: 1, unchanged: 2 },
    });
    const support = await preview("support");
    expect(support).toMatchObject({
      willChangeCount: 2,
      skippedByReason: { rank: 1, unchanged: 1 },
    });
    if (!support.ok) return;
    expect(support.skipped.find((s) => s.code === "unchanged")?.reason).toBe(
      "Already has that role.",
    );
  });

  it("applies to all matching a view, in one transaction, and reads as Member → Manager in the history", async () => {
    const tag = `Roletag${randomBytes(3).toString("hex")}`;
    const people = await addUsers(t.db, [
      { name: `${tag} A`, role: "member" },
      { name: `${tag} B`, role: "support" },
      { name: `${tag} C`, role: "manager" },
    ]);
    const result = await run(t.db, asActor(actor("admin")), "changeRole", {
      selection: searchSelection(tag),
      options: { role: "manager" },
    });
    expect(result).toMatchObject({ ok: true, done: 2, skippedByReason: { unchanged: 1 } });
    for (const p of people) expect(await roleOf(t.db, p.id)).toBe("manager");
    const [a] = people as [User];
    const history = await listAuditEvents(t.db, { ...AUDIT_DEFAULTS, target: a.id });
    expect(history.rows.map((r) => [r.action, r.roleChange, r.recordsMoved])).toEqual([
      ["changeRole", { from: "member", to: "manager" }, null],
    ]);
  });

  it("runs as a job above the threshold: every batch writes the role and its audit", async () => {
    vi.stubEnv("ROSTER_JOB_THRESHOLD", "10");
    try {
      const tag = `Roletag${randomBytes(3).toString("hex")}`;
      const people = await addUsers(
        t.db,
        Array.from({ length: 25 }, (_, i) => ({
          name: `${tag} ${String(i).padStart(2, "0")}`,
          role: (i % 5 === 0 ? "support" : "member") as UserRole,
        })),
      );
      const started = await run(t.db, asActor(actor("admin")), "changeRole", {
        selection: searchSelection(tag),
        options: { role: "support" },
      });
      if (!started.ok || !started.job) throw new Error(`no job: ${JSON.stringify(started)}`);
      while ((await runLifecycleBatch(t.db, started.job.id, { batchSize: 10 })) === "more") {}
      const [job] = await queryRows<{ status: string; done: number; skipped: number }>(
        t.db,
        sql`select status, done, skipped from jobs where id = ${started.job.id}::uuid`,
      );
      expect(job).toEqual({ status: "done", done: 20, skipped: 5 });
      for (const p of people) expect(await roleOf(t.db, p.id)).toBe("support");
      const audit = await auditFor(
        t.db,
        people.map((p) => p.id),
      );
      expect(audit).toHaveLength(20);
      for (const e of audit) {
        expect(e.records_moved).toEqual({
          roles: { [e.target_id as string]: ["member", "support"] },
        });
      }
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("a job re-checks the new role against its starter's role now: an owner who handed over stops making admins", async () => {
    vi.stubEnv("ROSTER_JOB_THRESHOLD", "10");
    try {
      const tag = `Handover${randomBytes(3).toString("hex")}`;
      const [starter] = await addUsers(t.db, [{ role: "owner", name: `Starter ${tag}` }]);
      const people = await addUsers(
        t.db,
        Array.from({ length: 25 }, (_, i) => ({
          name: `${tag} ${String(i).padStart(2, "0")}`,
          role: "member" as UserRole,
        })),
      );
      const started = await run(t.db, asActor(starter as User), "changeRole", {
        selection: searchSelection(`${tag} `),
        options: { role: "admin" },
      });
      if (!started.ok || !started.job) throw new Error(`no job: ${JSON.stringify(started)}`);
      expect(await runLifecycleBatch(t.db, started.job.id, { batchSize: 10 })).toBe("more");
      // The workspace changes hands: the starter is an admin now.
      await t.db.execute(
        sql`update users set role = 'admin' where id = ${(starter as User).id}::uuid`,
      );
      while ((await runLifecycleBatch(t.db, started.job.id, { batchSize: 10 })) === "more") {}
      const [job] = await queryRows<{ status: string; done: number; error: string | null }>(
        t.db,
        sql`select status, done, error from jobs where id = ${started.job.id}::uuid`,
      );
      expect(job).toEqual({
        status: "failed",
        done: 10,
        error: "Choose a role below your own. The rest was not applied.",
      });
      const roles = await Promise.all(people.map((p) => roleOf(t.db, p.id)));
      expect(roles.filter((r) => r === "admin")).toHaveLength(10);
      expect(roles.filter((r) => r === "member")).toHaveLength(15);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("has no Undo: the way back is another change of role", () => {
    const input = {
      action: "changeRole",
      selection: selectionOf(targets),
      options: { role: "manager" },
    };
    expect(lifecycleInputSchema.safeParse(input).success).toBe(true);
    const undo = { ...input, undoOf: "00000000-0000-4000-8000-000000000001" };
    expect(lifecycleInputSchema.safeParse(undo).success).toBe(false);
  });

  it("statuses it never touches stay as they were for the skipped (expected status checked)", async () => {
    const [target] = (await addUsers(t.db, [{ role: "member" }])) as [User];
    // The admin saw them active; someone deactivated them meanwhile: a conflict, not a change.
    await t.db.execute(sql`update users set status = 'inactive' where id = ${target.id}::uuid`);
    const result = await run(t.db, asActor(actor("admin")), "changeRole", {
      selection: {
        kind: "ids",
        targets: [{ id: target.id, expectedStatus: "active" as UserStatus }],
      },
      options: { role: "support" },
    });
    expect(result).toMatchObject({ ok: true, done: 0, skippedByReason: { conflict: 1 } });
    expect(await roleOf(t.db, target.id)).toBe("member");
  });
});
