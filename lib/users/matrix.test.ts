import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Executor, queryRows } from "@/db/client";
import { USER_ROLES, USER_STATUSES, type User, type UserStatus } from "@/db/schema";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "@/db/testing";
import { ROLE_PERMISSIONS } from "@/model/permissions";
import { definition } from "@/model/verbs";
import { LIFECYCLE, VERB_NAMES, type Verb } from "./lifecycle";
import { addUsers, asActor, filledOptions, run, selectionOf } from "./testing/fixtures";
import { permissionError } from "./transitions";
import type { SkipCode, VerbResult } from "./verb-types";

/**
 * The whole permission × action × target matrix, derived from LIFECYCLE and ROLE_PERMISSIONS so
 * that it follows them. Each cell runs in a transaction that is rolled back afterwards.
 */

type Expected =
  | { kind: "denied" }
  | { kind: "skipped"; code: SkipCode }
  | { kind: "done"; to: UserStatus | null };

/** Written from the product's rules (docs/lifecycle.md), independently of the reference planner. */
function expectedOutcome(actor: User, action: Verb, target: User): Expected {
  const rule = LIFECYCLE[action];
  if (!ROLE_PERMISSIONS[actor.role].includes(rule.permission)) return { kind: "denied" };
  if (target.id === actor.id) return { kind: "skipped", code: "self" };
  if (target.role === "owner") return { kind: "skipped", code: "owner" };
  // USER_ROLES lists the highest rank first: a target must come strictly after the actor.
  if (USER_ROLES.indexOf(target.role) <= USER_ROLES.indexOf(actor.role)) {
    return { kind: "skipped", code: "rank" };
  }
  if (!rule.from.includes(target.status)) return { kind: "skipped", code: "status" };
  // A verb that only writes (change role) leaves alone whoever already holds what it writes.
  const given = filledOptions(action) as Record<string, unknown>;
  const writes = rule.to === "same" ? Object.entries(definition(action).writes ?? {}) : [];
  if (
    writes.length > 0 &&
    writes.every(
      ([column, option]) => (target as Record<string, unknown>)[column] === given[option],
    )
  ) {
    return { kind: "skipped", code: "unchanged" };
  }
  if (rule.to === null) return { kind: "done", to: null };
  if (rule.to === "same") return { kind: "done", to: target.status };
  if (rule.to === "previous") return { kind: "done", to: target.previousStatus };
  return { kind: "done", to: rule.to };
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

/** A fingerprint of every row an action may touch: all users, and all users but one. */
async function fingerprint(db: Executor, exceptId: string) {
  const [row] = await queryRows<Record<string, string | number>>(
    db,
    sql`select
      (select md5(coalesce(string_agg(to_jsonb(u)::text, ',' order by u.id), '')) from users u) as all_users,
      (select md5(coalesce(string_agg(to_jsonb(u)::text, ',' order by u.id), '')) from users u
        where u.id <> ${exceptId}::uuid) as other_users,
      (select md5(coalesce(string_agg(p.id::text || ':' || p.owner_id::text, ',' order by p.id), '')) from projects p) as projects,
      (select count(*)::int from audit_events) as audit,
      (select count(*)::int from invitations) as invitations,
      (select count(*)::int from outbox) as outbox`,
  );
  if (!row) throw new Error("fingerprint: no row");
  return row;
}

async function userRow(db: Executor, id: string): Promise<User | undefined> {
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select id, status, previous_status, session_version, status_changed_by from users where id = ${id}::uuid`,
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    id: r.id,
    status: r.status,
    previousStatus: r.previous_status,
    sessionVersion: Number(r.session_version),
    statusChangedBy: r.status_changed_by,
  } as User;
}

/** The verbs that email the user they change (without options). */
const EMAILING: readonly string[] = ["reinvite", "sendPasswordReset", "approve", "reject"];
describe.each(TEST_DRIVERS)("the action matrix on %s", (driver) => {
  let t: TestDatabase;
  const actors = new Map<string, User>();
  let targets: User[] = [];

  beforeAll(async () => {
    t = await createTestDatabase(driver);
    for (const u of await addUsers(
      t.db,
      USER_ROLES.map((role) => ({ role, status: "active" as const, name: `Actor ${role}` })),
    )) {
      actors.set(u.role, u);
    }
    // Every rank below the owner in every status; archived ones remember a status to go back to.
    targets = await addUsers(
      t.db,
      USER_ROLES.filter((r) => r !== "owner").flatMap((role) =>
        USER_STATUSES.map((status) => ({
          role,
          status,
          previousStatus: status === "archived" ? ("inactive" as const) : null,
          name: `Target ${role} ${status}`,
        })),
      ),
    );
  });
  afterAll(async () => {
    await t?.close();
  });

  function cells(actor: User): User[] {
    const owner = actors.get("owner") as User;
    return [...targets, actor, ...(actor.id === owner.id ? [] : [owner])];
  }

  function check(
    label: string,
    result: VerbResult,
    expected: Expected,
    action: Verb,
    target: User,
  ) {
    if (expected.kind === "denied") {
      expect(result, label).toEqual({ ok: false, error: permissionError(action) });
      return;
    }
    expect(result.ok, label).toBe(true);
    if (!result.ok) return;
    if (expected.kind === "skipped") {
      expect(result.done, label).toBe(0);
      expect(
        result.skipped.map((s) => s.code),
        label,
      ).toEqual([expected.code]);
    } else {
      expect(result.done, label).toBe(1);
      expect(result.changed, label).toEqual([
        { id: target.id, name: target.name, status: expected.to },
      ]);
    }
  }

  for (const role of USER_ROLES) {
    for (const action of VERB_NAMES) {
      it(`${role} × ${action}: every target, one at a time`, async () => {
        const actor = actors.get(role) as User;
        const rule = LIFECYCLE[action];
        for (const target of cells(actor)) {
          const label = `${role} ${action} ${target.name} (${target.role}, ${target.status})`;
          const expected = expectedOutcome(actor, action, target);
          await rolledBack(t.db, async (tx) => {
            const before = await fingerprint(tx, target.id);
            const result = await run(tx, asActor(actor), action, {
              selection: selectionOf([target]),
              options: filledOptions(action),
            });
            check(label, result, expected, action, target);
            const after = await fingerprint(tx, target.id);
            if (expected.kind !== "done") {
              // Forbidden and skipped cells change nothing at all.
              expect(after, label).toEqual(before);
              return;
            }
            // Nobody else changed; exactly one audit event; an email for invitations, password
            // links (reset, approval) and the news of a rejection.
            expect(after.other_users, label).toBe(before.other_users);
            expect(after.projects, label).toBe(before.projects);
            expect(Number(after.audit), label).toBe(Number(before.audit) + 1);
            const mails = EMAILING.includes(action) ? 1 : 0;
            expect(Number(after.outbox), label).toBe(Number(before.outbox) + mails);
            const [audit] = await queryRows<Record<string, unknown>>(
              tx,
              sql`select actor_id, action, target_id, from_status, to_status from audit_events order by id desc limit 1`,
            );
            expect(audit, label).toEqual({
              actor_id: actor.id,
              action,
              target_id: target.id,
              from_status: target.status,
              to_status: expected.to,
            });
            const row = await userRow(tx, target.id);
            if (expected.to === null) {
              expect(row, label).toBeUndefined();
              return;
            }
            expect(row?.status, label).toBe(expected.to);
            expect(row?.sessionVersion, label).toBe(
              target.sessionVersion + (rule.endsSessions ? 1 : 0),
            );
            expect(row?.previousStatus, label).toBe(
              action === "archive" ? target.status : target.previousStatus,
            );
            expect(row?.statusChangedBy, label).toBe(
              rule.to === "same" ? target.statusChangedBy : actor.id,
            );
          });
        }
      });

      it(`${role} × ${action}: every target at once`, async () => {
        const actor = actors.get(role) as User;
        const all = cells(actor);
        await rolledBack(t.db, async (tx) => {
          const result = await run(tx, asActor(actor), action, {
            selection: selectionOf(all),
            options: filledOptions(action),
          });
          const expected = all.map((u) => [u, expectedOutcome(actor, action, u)] as const);
          if (expected.some(([, e]) => e.kind === "denied")) {
            expect(result).toEqual({ ok: false, error: permissionError(action) });
            return;
          }
          expect(result.ok).toBe(true);
          if (!result.ok) return;
          const done = expected.filter(([, e]) => e.kind === "done").map(([u]) => u.id);
          expect(result.changed.map((c) => c.id).sort()).toEqual(done.sort());
          expect(Object.fromEntries(result.skipped.map((s) => [s.id, s.code]))).toEqual(
            Object.fromEntries(
              expected.flatMap(([u, e]) => (e.kind === "skipped" ? [[u.id, e.code]] : [])),
            ),
          );
          const [audit] = await queryRows<{ n: number }>(
            tx,
            sql`select count(*)::int as n from audit_events where actor_id = ${actor.id}::uuid`,
          );
          expect(Number(audit?.n)).toBe(done.length);
        });
      });
    }
  }

  it("covers every cell kind somewhere (the matrix is not vacuous)", () => {
    const kinds = new Set<string>();
    for (const role of USER_ROLES) {
      const actor = actors.get(role) as User;
      for (const action of VERB_NAMES) {
        for (const target of cells(actor)) {
          const e = expectedOutcome(actor, action, target);
          kinds.add(e.kind === "skipped" ? e.code : e.kind);
        }
      }
    }
    expect([...kinds].sort()).toEqual([
      "denied",
      "done",
      "owner",
      "rank",
      "self",
      "status",
      "unchanged",
    ]);
  });
});
