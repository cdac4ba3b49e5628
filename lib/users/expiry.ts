import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { seatLimit } from "@/lib/workspace-settings";
import { definition, expiryRun, type Verb, type VerbOptions } from "@/model/verbs";
import { LIFECYCLE } from "./lifecycle";
import type { SelectionSource } from "./selection-sql";
import { applySource } from "./transitions";
import type { VerbResult } from "./verb-types";

/** The kind of job that ends a change by itself (`expires` in a verb's definition). */
export const EXPIRY_JOB = "expiry";

/** What the job keeps: which verb's change ends, at which time, and the seats it may use. */
export type ExpiryJobParams = { action: Verb; at: string; seatLimit: number };

/** The column a verb's ending time is written to, and the statuses a user waiting for it is in. */
function expiryTarget(action: Verb): { column: string; statuses: readonly string[] } | null {
  const def = definition(action);
  const column = Object.entries(def.writes ?? {}).find(([, o]) => o === def.expires?.at)?.[0];
  const to = LIFECYCLE[action].to;
  if (!def.expires || !column || to === null || to === "previous") return null;
  return { column, statuses: to === "same" ? LIFECYCLE[action].from : [to] };
}

function inStatuses(statuses: readonly string[]) {
  return sql`"users"."status" in (${sql.join(
    statuses.map((s) => sql`${s}::user_status`),
    sql`, `,
  )})`;
}

/**
 * Inside the transaction of a change that ends by itself: one job, not run before the end time,
 * for this verb and time (a second change ending at the same minute shares it). A verb that
 * only writes its time (schedule deactivation) may move or clear it: a queued job whose time no
 * user waits for any more is cancelled, in the same transaction.
 */
export async function scheduleExpiry(
  tx: Executor,
  args: { action: Verb; options: VerbOptions; seatLimit: number },
): Promise<void> {
  const { expires } = definition(args.action);
  const target = expiryTarget(args.action);
  if (!expires || !target) return;
  if (LIFECYCLE[args.action].to === "same") {
    await tx.execute(sql`
      update jobs set status = 'cancelled', finished_at = now(), updated_at = now()
      where kind = ${EXPIRY_JOB} and status = 'queued' and params->>'action' = ${args.action}
        and not exists (
          select 1 from users
          where "users".${sql.identifier(target.column)} = (jobs.params->>'at')::timestamptz
            and ${inStatuses(target.statuses)})`);
  }
  const at = (args.options as Record<string, unknown>)[expires.at];
  if (typeof at !== "string") return;
  const params: ExpiryJobParams = { action: args.action, at, seatLimit: args.seatLimit };
  await tx.execute(sql`
    insert into jobs (kind, status, params, total, not_before)
    select ${EXPIRY_JOB}, 'queued', ${JSON.stringify(params)}::jsonb, 0, ${at}::timestamptz
    where not exists (
      select 1 from jobs where kind = ${EXPIRY_JOB} and status = 'queued'
        and params->>'action' = ${args.action} and (params->>'at')::timestamptz = ${at}::timestamptz)`);
}

/**
 * The end of a change, inside the caller's transaction: the verb's inverse (or its `run`), run
 * as the system its definition names, on every user still waiting for it: in the status it led
 * to (or, for a verb that moves no status, one it accepts) with its time in its column (someone
 * who was reactivated, archived, suspended again or given another date since is left alone).
 */
export async function endExpired(
  tx: Executor,
  params: ExpiryJobParams,
  args: { now: Date; jobId: string | null },
): Promise<VerbResult> {
  const def = definition(params.action);
  const run = expiryRun(params.action);
  const target = expiryTarget(params.action);
  if (!def.expires || !run || !target) {
    return { ok: false, error: `${params.action} doesn't end by itself.` };
  }
  const source: SelectionSource = {
    where: sql`(${inStatuses(target.statuses)} and "users".${sql.identifier(target.column)} = ${params.at}::timestamptz)`,
    expected: null,
    missing: null,
  };
  return applySource(tx, source, {
    actor: { system: def.expires.by },
    action: run,
    input: { options: {}, onConflict: "skip" },
    // The workspace's limit when the change ends, not when it was made.
    seatLimit: await seatLimit(tx),
    now: args.now,
    jobId: args.jobId,
    countsOnly: true,
  });
}
