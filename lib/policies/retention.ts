import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "@/db/client";
import { plural } from "@/lib/format";
import { defaultOwner } from "@/lib/workspace-settings";
import { DAY_MS, type PolicyDefinition } from "./define";
import { daysSchema } from "./dormant";

/*
 * Retention of archived users (issue 17 §6): "Permanently delete users archived for more than N
 * days", daily or by "Run now", through the pipeline's Delete permanently (erasure included) as
 * "Policy: retention". Records they own go to the default owner (Settings → Provisioning);
 * without one, a run is refused. Off until turned on.
 */

export const retentionPolicySchema = z.strictObject({
  enabled: z.boolean({ error: "enabled is true or false." }),
  days: daysSchema("the days archived", 1),
});
export type RetentionPolicy = z.output<typeof retentionPolicySchema>;

type RetentionRun = { cutoff: string };

export const NO_DEFAULT_OWNER =
  "Retention needs a default owner for the records of the users it deletes: choose one under Provisioning, then try again.";

/** Archived since before the cutoff (the time they were archived is their status's start). */
function where(r: RetentionRun): SQL {
  return sql`"users"."status" = 'archived' and "users"."status_changed_at" < ${r.cutoff}::timestamptz`;
}

export const RETENTION: PolicyDefinition<RetentionPolicy, RetentionRun> = {
  name: "retention",
  label: "Retention",
  key: "policy_retention",
  actor: { system: "Policy: retention" },
  verb: "delete",
  schema: retentionPolicySchema,
  defaults: { enabled: false, days: 30 },
  describe: (p) =>
    p.enabled ? `On: delete users archived for more than ${plural(p.days, "day")}` : "Off",
  freeze: (p, now) => ({ cutoff: new Date(now.getTime() - p.days * DAY_MS).toISOString() }),
  where,
  input: async (tx: Executor) => {
    const owner = await defaultOwner(tx);
    if (!owner) return { refused: NO_DEFAULT_OWNER };
    return { options: { confirm: "DELETE" }, onConflict: "skip", newOwnerId: owner.id };
  },
};
