import { sql } from "drizzle-orm";
import { type Executor, queryRows } from "@/db/client";
import type { User, UserStatus } from "@/db/schema";
import { verifyAuditChain } from "@/lib/audit/chain";
import { LIFECYCLE, type Verb } from "../lifecycle";
import { addRecords, addUsers, asActor, run } from "./fixtures";

/** Actions that go back and forth, so that 50 clients keep finding something to change. */
const RACING: readonly Verb[] = ["deactivate", "reactivate", "archive", "restore", "reinvite"];

export type RaceReport = {
  calls: number;
  applied: number;
  errors: string[];
  auditEvents: number;
  /** Users whose audit trail doesn't replay from their first status to their current one. */
  brokenTrails: string[];
  orphanRecords: number;
  recordsBefore: number;
  recordsAfter: number;
  chainBreaks: number;
  /** Statuses whose total in the counts table (user_status_counts) differs from count(*). */
  countMismatches: { status: string; counted: number; actual: number }[];
};

/**
 * `clients` concurrent callers (each transaction on its own pooled connection) fire random
 * conflicting actions at the same `users` users for `seconds`, each naming the status it last
 * saw (often stale). Then checks what must hold whatever the interleaving.
 */
export async function raceActions(
  db: Executor,
  options: { clients: number; seconds: number; users: number },
): Promise<RaceReport> {
  const [owner, ...admins] = (await addUsers(db, [
    { role: "owner" },
    ...Array.from({ length: 5 }, () => ({ role: "admin" as const })),
  ])) as [User, ...User[]];
  const targets = await addUsers(
    db,
    Array.from({ length: options.users }, () => ({ status: "active" as const })),
  );
  for (const u of targets.slice(0, Math.ceil(options.users / 5))) {
    await addRecords(db, u.id, { project: 2, automation: 1 });
  }
  const initial = new Map(targets.map((u) => [u.id, u.status as UserStatus]));
  const seen = new Map(initial);
  const [before] = await queryRows<{ n: number }>(
    db,
    sql`select (select count(*) from projects) + (select count(*) from automations) as n`,
  );
  const [auditBefore] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from audit_events`,
  );

  let calls = 0;
  let applied = 0;
  const errors: string[] = [];
  const deadline = Date.now() + options.seconds * 1000;
  const pick = <T>(items: readonly T[]) => items[Math.floor(Math.random() * items.length)] as T;

  await Promise.all(
    Array.from({ length: options.clients }, async (_, client) => {
      while (Date.now() < deadline) {
        const size = 1 + Math.floor(Math.random() * 10);
        const chosen = Array.from({ length: size }, () => pick(targets));
        const action = pick(RACING);
        calls++;
        try {
          const result = await run(db, asActor(admins[client % admins.length] as User), action, {
            selection: {
              kind: "ids",
              targets: chosen.map((u) => ({
                id: u.id,
                expectedStatus: seen.get(u.id) ?? "active",
              })),
            },
            // Only the actions that move records take a new owner (the input is strict).
            ...(LIFECYCLE[action].needsTransfer ? { newOwnerId: owner.id } : {}),
          });
          if (!result.ok) {
            errors.push(`${action}: ${result.error}`);
            continue;
          }
          applied += result.done;
          for (const c of result.changed) if (c.status) seen.set(c.id, c.status);
          // A conflict tells us the status moved: look again, like the UI would.
          const stale = result.skipped.filter((s) => s.code === "conflict").map((s) => s.id);
          if (stale.length) {
            const rows = await queryRows<{ id: string; status: UserStatus }>(
              db,
              sql`select id, status from users where id in (${sql.join(
                stale.map((id) => sql`${id}::uuid`),
                sql`, `,
              )})`,
            );
            for (const r of rows) seen.set(r.id, r.status);
          }
        } catch (error) {
          errors.push(`${action}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }),
  );

  // Every user's trail replays: each event starts where the previous one ended, and the last one
  // ends where the user is now. A lost update or a double transition breaks that.
  const events = await queryRows<{ target_id: string; from_status: string; to_status: string }>(
    db,
    sql`select target_id, from_status, to_status from audit_events
        where target_id in (${sql.join(
          targets.map((u) => sql`${u.id}::uuid`),
          sql`, `,
        )}) and action <> 'redact-reason'
        order by chain_seq`,
  );
  const now = new Map(
    (
      await queryRows<{ id: string; status: string }>(
        db,
        sql`select id, status from users where id in (${sql.join(
          targets.map((u) => sql`${u.id}::uuid`),
          sql`, `,
        )})`,
      )
    ).map((r) => [r.id, r.status]),
  );
  const replay = new Map<string, string>(initial);
  const brokenTrails = new Set<string>();
  for (const e of events) {
    if (replay.get(e.target_id) !== e.from_status) brokenTrails.add(e.target_id);
    replay.set(e.target_id, e.to_status);
  }
  for (const [id, status] of replay) if (now.get(id) !== status) brokenTrails.add(id);

  const [after] = await queryRows<{ n: number; orphans: number; audit: number }>(
    db,
    sql`select (select count(*) from projects) + (select count(*) from automations) as n,
          (select count(*) from projects p where not exists (select 1 from users u where u.id = p.owner_id))
          + (select count(*) from automations a where not exists (select 1 from users u where u.id = a.owner_id)) as orphans,
          (select count(*)::int from audit_events where action <> 'redact-reason') as audit`,
  );
  const countMismatches = await statusCountMismatches(db);
  return {
    calls,
    applied,
    errors,
    auditEvents: Number(after?.audit) - Number(auditBefore?.n),
    brokenTrails: [...brokenTrails],
    orphanRecords: Number(after?.orphans),
    recordsBefore: Number(before?.n),
    recordsAfter: Number(after?.n),
    chainBreaks: (await verifyAuditChain(db)).breaks.length,
    countMismatches,
  };
}

/**
 * Statuses whose total in the counts table (statement triggers appending signed deltas, migration
 * 0007) differs from `count(*)` of users: none, whatever the interleaving of their writers.
 */
export async function statusCountMismatches(
  db: Executor,
): Promise<{ status: string; counted: number; actual: number }[]> {
  const rows = await queryRows<{ status: string; counted: number; actual: number }>(
    db,
    sql`select status::text as status, coalesce(c.n, 0)::int as counted, coalesce(a.n, 0)::int as actual
        from (select status, sum(n) as n from user_status_counts group by status) c
        full join (select status, count(*) as n from users group by status) a using (status)
        where coalesce(c.n, 0) <> coalesce(a.n, 0)
        order by status`,
  );
  return rows.map((r) => ({
    status: r.status,
    counted: Number(r.counted),
    actual: Number(r.actual),
  }));
}
