import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { type Executor, queryRows } from "@/db/client";
import { formatCount, plural } from "@/lib/format";
import { dormantWarningEmail } from "@/lib/mail/templates";
import { insertEmails } from "@/lib/users/invitations";
import { ROLE_LABELS } from "@/model/roles";
import { countPolicy, type PolicyDefinition } from "./define";
import { EXCLUDABLE_ROLES, MAX_DAYS } from "./dormant-filter";
import { type DormantRun, dormantRunWhere, freezeDormant, IDLE_SINCE } from "./dormant-where";

/*
 * The dormant-user policy (issue 17 §4): "Deactivate users who haven't signed in for N days",
 * daily or by "Run now", through the pipeline as "Policy: dormant users". Off until turned on.
 */

/** A number of days, with its words in the messages. */
export const daysSchema = (what: string, min: number) =>
  z.coerce
    .number({ error: `Enter ${what} as a whole number of days.` })
    .int(`Enter ${what} as a whole number of days.`)
    .min(min, `${what[0]?.toUpperCase()}${what.slice(1)} is at least ${min}.`)
    .max(
      MAX_DAYS,
      `${what[0]?.toUpperCase()}${what.slice(1)} is at most ${formatCount(MAX_DAYS)}.`,
    );

export const dormantPolicySchema = z
  .strictObject({
    enabled: z.boolean({ error: "enabled is true or false." }),
    days: daysSchema("the days without signing in", 1),
    warnDays: daysSchema("the days of warning", 0),
    excludeRoles: z
      .array(
        z.enum(EXCLUDABLE_ROLES, { error: "Leave out only Admin, Manager, Support or Member." }),
      )
      .max(EXCLUDABLE_ROLES.length)
      .transform((roles) => [...new Set(roles)]),
    exemptDays: daysSchema("the days a reactivated user is exempt", 0),
  })
  .refine((p) => p.warnDays < p.days, {
    message: "Warn them fewer days before than the days without signing in.",
    path: ["warnDays"],
  });
export type DormantPolicy = z.output<typeof dormantPolicySchema>;

/**
 * Who gets a warning now: those the policy will deactivate within warnDays (dormant by then, not
 * yet), not warned since they were last active.
 */
function warnWhere(p: DormantPolicy, now: Date): SQL {
  const soon = freezeDormant({ ...p, days: Math.max(1, p.days - p.warnDays) }, now);
  return sql`${dormantRunWhere(soon)}
    and ${IDLE_SINCE} >= ${freezeDormant(p, now).cutoff}::timestamptz
    and ("users"."dormant_warned_at" is null or "users"."dormant_warned_at" < ${IDLE_SINCE})`;
}

/** Queues this run's warning emails and marks those warned, in the run's first transaction. */
async function warnSoonDormant(
  tx: Executor,
  p: DormantPolicy,
  args: { now: Date; baseUrl: string },
): Promise<void> {
  if (p.warnDays <= 0) return;
  const warned = await queryRows<{ id: string; name: string; email: string }>(
    tx,
    sql`update users set dormant_warned_at = ${args.now.toISOString()}::timestamptz
        where ${warnWhere(p, args.now)}
        returning id, name, email`,
  );
  const signInUrl = `${args.baseUrl.replace(/\/+$/, "")}/sign-in`;
  await insertEmails(
    tx,
    "dormant-warning",
    warned.map((u) => ({
      user_id: u.id,
      to_email: u.email,
      ...dormantWarningEmail({ name: u.name, days: p.warnDays, signInUrl }),
    })),
    args.now,
  );
}

export const DORMANT: PolicyDefinition<DormantPolicy, DormantRun> = {
  name: "dormant",
  label: "Dormant users",
  key: "policy_dormant",
  actor: { system: "Policy: dormant users" },
  verb: "deactivate",
  schema: dormantPolicySchema,
  defaults: { enabled: false, days: 90, warnDays: 7, excludeRoles: [], exemptDays: 30 },
  describe: (p) =>
    p.enabled
      ? [
          `On: after ${plural(p.days, "day")} without signing in`,
          p.warnDays > 0 ? `warned ${plural(p.warnDays, "day")} before` : "no warning",
          p.excludeRoles.length
            ? `leaving out ${p.excludeRoles.map((r) => ROLE_LABELS[r]).join(", ")}`
            : "every role but the owner",
          p.exemptDays > 0 ? `reactivated in the last ${plural(p.exemptDays, "day")} exempt` : null,
        ]
          .filter(Boolean)
          .join("; ")
      : "Off",
  freeze: freezeDormant,
  where: dormantRunWhere,
  input: async () => ({ options: {}, onConflict: "skip" }),
  beforeRun: warnSoonDormant,
};

export type DormantPreview = { count: number; warnCount: number };

/**
 * How many users the policy (as the form says it) would deactivate now, and how many it would
 * warn: one pass over the users for both (the count is the policy's own condition, as a run's).
 */
export async function previewDormant(
  db: Executor,
  args: { now: Date; policy: DormantPolicy },
): Promise<DormantPreview> {
  if (args.policy.warnDays <= 0)
    return { count: await countPolicy(db, DORMANT, args), warnCount: 0 };
  const [row] = await queryRows<{ n: number; w: number }>(
    db,
    sql`select count(*) filter (where ${DORMANT.where(DORMANT.freeze(args.policy, args.now))})::int as n,
          count(*) filter (where ${warnWhere(args.policy, args.now)})::int as w
        from users`,
  );
  return { count: row?.n ?? 0, warnCount: row?.w ?? 0 };
}
