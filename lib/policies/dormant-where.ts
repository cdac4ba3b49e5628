import { type SQL, sql } from "drizzle-orm";
import type { UserRole } from "@/model/roles";
import type { DormantFilter } from "./dormant-filter";

/*
 * Who the dormant-user policy deactivates, as SQL: one condition for the policy's preview and
 * runs (lib/policies/dormant.ts) and for the /users filter `dormant=…` (lib/users/queries.ts),
 * so that the list shows exactly whom the preview counts. Its own module (no lib/users imports)
 * so that the users' queries can read it without an import cycle through the pipeline.
 */

const DAY_MS = 86_400_000;

/** A run's conditions with their times fixed (a job's params carry it as JSON). */
export type DormantRun = { cutoff: string; exemptSince: string | null; excludeRoles: UserRole[] };

const daysBefore = (now: Date, days: number) =>
  new Date(now.getTime() - days * DAY_MS).toISOString();

export function freezeDormant(f: DormantFilter, now: Date): DormantRun {
  return {
    cutoff: daysBefore(now, f.days),
    exemptSince: f.exemptDays > 0 ? daysBefore(now, f.exemptDays) : null,
    excludeRoles: [...f.excludeRoles],
  };
}

/** Since when a user has been idle: their last sign-in, or (never signed in) their status's start. */
export const IDLE_SINCE = sql`coalesce("users"."last_sign_in_at", "users"."status_changed_at", "users"."created_at")`;

/**
 * Who a run deactivates: active and invited users (never the owner, never a left-out role)
 * idle since before the cutoff (for an invitation never accepted: since the invitation), unless
 * someone reactivated them since `exemptSince`.
 */
export function dormantRunWhere(r: DormantRun): SQL {
  const parts: SQL[] = [
    sql`"users"."status" in ('active', 'invited')`,
    sql`"users"."role" <> 'owner'`,
    sql`${IDLE_SINCE} < ${r.cutoff}::timestamptz`,
  ];
  if (r.excludeRoles.length) {
    parts.push(
      sql`"users"."role" not in (${sql.join(
        r.excludeRoles.map((role) => sql`${role}::user_role`),
        sql`, `,
      )})`,
    );
  }
  if (r.exemptSince) {
    parts.push(sql`not exists (
      select 1 from audit_events e
      where e.target_id = "users"."id" and e.action = 'reactivate' and e.at >= ${r.exemptSince}::timestamptz)`);
  }
  return sql`(${sql.join(parts, sql` and `)})`;
}

/** Who the policy with these settings would deactivate at `now`. */
export const dormantWhere = (f: DormantFilter, now: Date): SQL =>
  dormantRunWhere(freezeDormant(f, now));
