import { type SQL, sql } from "drizzle-orm";
import type { z } from "zod";
import { type Db, type Executor, queryRows } from "@/db/client";
import { wakeJobRunner } from "@/lib/jobs/runner";
import { applySource, type SourceArgs } from "@/lib/users/transitions";
import { seatLimit } from "@/lib/workspace-settings";
import { can, type Person, type SystemPerson } from "@/model/permissions";
import type { Verb } from "@/model/verbs";

/*
 * A policy is a definition (lib/policies/dormant.ts, retention.ts): its settings, who it acts on,
 * and the lifecycle verb it runs on them as its system actor. Everything else is here, the same
 * for every policy: saving it (audited in words), its preview, "Run now", the job that runs it in
 * batches through the pipeline, and its last run. The scheduler (scheduler.ts) queues each
 * policy's daily run exactly once.
 */

export const DAY_MS = 86_400_000;
const BATCH = 1_000;

export type PolicySettings = { enabled: boolean };

export type PolicyDefinition<P extends PolicySettings, R> = {
  /** Its name in policy_runs and in its job's kind (`policy-<name>`). */
  name: string;
  /** How the audit log names it ("Dormant users: Off → On: …"). */
  label: string;
  /** Its key in workspace_meta. */
  key: string;
  actor: SystemPerson;
  verb: Verb;
  schema: z.ZodType<P, unknown>;
  defaults: P;
  /** The settings in words, for the audit log. */
  describe: (p: P) => string;
  /** A run's conditions, with its times fixed when it is queued. */
  freeze: (p: P, now: Date) => R;
  /** Who a run acts on (re-checked in every batch, under the pipeline's locks). */
  where: (r: R) => SQL;
  /** The verb's input for a batch, or why the run can't go on (e.g. no default owner). */
  input: (tx: Executor) => Promise<SourceArgs["input"] | { refused: string }>;
  /** Once, at the start of a run (in its first batch's transaction): e.g. warnings. */
  beforeRun?: (tx: Executor, p: P, ctx: { now: Date; baseUrl: string }) => Promise<void>;
};

// biome-ignore lint/suspicious/noExplicitAny: a registry of definitions of different settings
export type AnyPolicy = PolicyDefinition<any, any>;

export const jobKind = (def: AnyPolicy) => `policy-${def.name}`;

export const POLICY_REFUSALS = {
  denied: "You don't have permission to change the workspace's policies.",
  off: "This policy is off: turn it on and save it first.",
  running: "This policy is running already: its result will be in the audit log shortly.",
};

/** The policy as saved, or its defaults (off). */
export async function readPolicy<P extends PolicySettings, R>(
  db: Executor,
  def: PolicyDefinition<P, R>,
): Promise<P> {
  const [row] = await queryRows<{ value: string }>(
    db,
    sql`select value from workspace_meta where key = ${def.key}`,
  );
  if (!row) return def.defaults;
  try {
    const parsed = def.schema.safeParse(JSON.parse(row.value));
    return parsed.success ? parsed.data : def.defaults;
  } catch {
    return def.defaults;
  }
}

/** Who may change or run a policy: settings.manage, as an active user (the database decides). */
async function refusal(tx: Executor, actor: Person): Promise<string | null> {
  if (!can(actor.role, "settings.manage")) return POLICY_REFUSALS.denied;
  const [me] = await queryRows<{ role: Person["role"]; status: string }>(
    tx,
    sql`select role, status from users where id = ${actor.id}::uuid for share`,
  );
  return me?.status === "active" && can(me.role, "settings.manage") ? null : POLICY_REFUSALS.denied;
}

export type SavePolicyResult = { ok: true; changed: boolean } | { ok: false; error: string };

/** Saves a policy and audits it (its wording before and after), in one transaction. */
export async function savePolicy<P extends PolicySettings, R>(
  db: Db,
  def: PolicyDefinition<P, R>,
  args: { actor: Person; policy: P; requestId: string; now?: Date },
): Promise<SavePolicyResult> {
  const at = (args.now ?? new Date()).toISOString();
  return db.transaction(async (tx) => {
    const refused = await refusal(tx, args.actor);
    if (refused) return { ok: false, error: refused };
    const before = await readPolicy(tx, def);
    if (JSON.stringify(before) === JSON.stringify(args.policy)) return { ok: true, changed: false };
    await tx.execute(sql`
      insert into workspace_meta (key, value) values (${def.key}, ${JSON.stringify(args.policy)})
      on conflict (key) do update set value = excluded.value`);
    await tx.execute(sql`
      insert into audit_events (at, actor_id, action, request_id, records_moved)
      values (${at}::timestamptz, ${args.actor.id}::uuid, 'change-setting', ${args.requestId},
        ${JSON.stringify({
          setting: {
            name: def.name,
            label: def.label,
            from: def.describe(before),
            to: def.describe(args.policy),
          },
        })}::jsonb)`);
    return { ok: true, changed: true };
  });
}

/** How many users a run of these settings would act on now. */
export async function countPolicy<P extends PolicySettings, R>(
  db: Executor,
  def: PolicyDefinition<P, R>,
  args: { policy: P; now: Date },
): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from users where ${def.where(def.freeze(args.policy, args.now))}`,
  );
  return row?.n ?? 0;
}

/**
 * A run's job params. `frozen`: its users are in job_items (set by its first batch). `after` is
 * from runs queued before items (a keyset by id): such a run, still queued, freezes what is left.
 */
type RunParams<P, R> = { policy: P; run: R; after: string | null; frozen?: boolean };

export type EnqueueResult =
  | { ok: true; jobId: string; total: number }
  | { ok: false; error: string };

/** A run as a job (the caller's transaction), its times frozen now; one open run at a time. */
export async function enqueuePolicyRun<P extends PolicySettings, R>(
  tx: Executor,
  def: PolicyDefinition<P, R>,
  args: { policy: P; now: Date; startedBy: string | null },
): Promise<EnqueueResult> {
  const [open] = await queryRows<{ id: string }>(
    tx,
    sql`select id from jobs where kind = ${jobKind(def)} and status in ('queued', 'running') limit 1`,
  );
  if (open) return { ok: false, error: POLICY_REFUSALS.running };
  const input = await def.input(tx);
  if ("refused" in input) return { ok: false, error: input.refused };
  const params: RunParams<P, R> = {
    policy: args.policy,
    run: def.freeze(args.policy, args.now),
    after: null,
  };
  const total = await countPolicy(tx, def, args);
  const [job] = await queryRows<{ id: string }>(
    tx,
    sql`insert into jobs (kind, status, actor_id, params, total)
        values (${jobKind(def)}, 'queued', ${args.startedBy}::uuid, ${JSON.stringify(params)}::jsonb, ${total})
        returning id`,
  );
  if (!job) throw new Error("enqueuePolicyRun: no job");
  return { ok: true, jobId: job.id, total };
}

/** "Run now" on /settings: the saved policy, once, as a job. */
export async function runPolicyNow<P extends PolicySettings, R>(
  db: Db,
  def: PolicyDefinition<P, R>,
  args: { actor: Person; now: Date },
): Promise<EnqueueResult> {
  const result = await db.transaction(async (tx): Promise<EnqueueResult> => {
    const refused = await refusal(tx, args.actor);
    if (refused) return { ok: false, error: refused };
    const policy = await readPolicy(tx, def);
    if (!policy.enabled) return { ok: false, error: POLICY_REFUSALS.off };
    return enqueuePolicyRun(tx, def, { policy, now: args.now, startedBy: args.actor.id });
  });
  if (result.ok) wakeJobRunner();
  return result;
}

/**
 * One batch of a run, in one transaction, the job's row locked first (a second runner on the same
 * job waits, then takes the next batch). The first batch runs the definition's beforeRun
 * (warnings) and freezes who the run's conditions name into `job_items`, in table order (ctid):
 * one pass over the users, and each batch's users then sit on neighbouring pages instead of
 * ~1,000 pages apiece, as lifecycle jobs do (bench/RESULTS.md, "Lifecycle engine v2"). Each batch
 * takes its items and re-checks the conditions under the pipeline's locks, so a user who signed
 * in meanwhile is left alone; the job's progress moves in the same transaction, so a crash re-runs
 * the batch and nobody is changed twice.
 */
export function policyJobHandler<P extends PolicySettings, R>(
  def: PolicyDefinition<P, R>,
  baseUrl: string,
) {
  return async (db: Db, job: { id: string }): Promise<"more" | "finished"> =>
    db.transaction(async (tx) => {
      const [row] = await queryRows<{
        status: string;
        params: RunParams<P, R>;
        cursor: number;
        total: number;
      }>(
        tx,
        sql`select status, params, cursor, total from jobs where id = ${job.id}::uuid for update`,
      );
      if (!row || (row.status !== "queued" && row.status !== "running")) return "finished";
      const { params } = row;
      const now = new Date();
      const where = def.where(params.run);
      let total = row.total;
      if (!params.frozen) {
        if (params.after === null) await def.beforeRun?.(tx, params.policy, { now, baseUrl });
        const [frozen] = await queryRows<{ n: number }>(
          tx,
          sql`with frozen as (
                insert into job_items (job_id, seq, user_id, seen_status)
                select ${job.id}::uuid, ${row.cursor}::int + row_number() over (order by "users".ctid),
                  "users"."id", "users"."status"
                from users where ${where}
                returning 1)
              select count(*)::int as n from frozen`,
        );
        total = row.cursor + Number(frozen?.n ?? 0);
        await tx.execute(sql`
          update jobs set total = ${total}::int, params = jsonb_set(params, '{frozen}', 'true'::jsonb)
          where id = ${job.id}::uuid`);
      }
      const upTo = Math.min(row.cursor + BATCH, total);
      let done = 0;
      if (upTo > row.cursor) {
        const input = await def.input(tx);
        if ("refused" in input) throw new Error(`${def.label}: ${input.refused}`);
        const result = await applySource(
          tx,
          {
            where: sql`"users"."id" = any(array(
                select ji.user_id from job_items ji
                where ji.job_id = ${job.id}::uuid and ji.seq > ${row.cursor}::int and ji.seq <= ${upTo}::int))
              and ${where}`,
            expected: null,
            missing: null,
          },
          {
            actor: def.actor,
            action: def.verb,
            input,
            seatLimit: await seatLimit(tx),
            now,
            jobId: job.id,
            countsOnly: true,
          },
        );
        if (!result.ok) throw new Error(`${def.label}: ${result.error}`);
        done = result.done;
        await tx.execute(
          sql`delete from job_items where job_id = ${job.id}::uuid and seq <= ${upTo}::int`,
        );
      }
      const finished = upTo >= total;
      await tx.execute(sql`
        update jobs set
          done = done + ${done}::int, skipped = skipped + ${upTo - row.cursor - done}::int,
          cursor = ${upTo}::int,
          status = case when ${finished} then 'done' else status end,
          finished_at = case when ${finished} then now() else finished_at end,
          updated_at = now()
        where id = ${job.id}::uuid`);
      return finished ? "finished" : "more";
    });
}

export type LastRun = {
  status: string;
  done: number;
  createdAt: string;
  error: string | null;
} | null;

/** A policy's latest run, for the settings page. */
export async function lastPolicyRun(db: Executor, def: AnyPolicy): Promise<LastRun> {
  const [row] = await queryRows<{
    status: string;
    done: number;
    created_at: string | Date;
    error: string | null;
  }>(
    db,
    sql`select status, done, created_at, error from jobs
        where kind = ${jobKind(def)} order by created_at desc, id desc limit 1`,
  );
  if (!row) return null;
  return {
    status: row.status,
    done: row.done,
    createdAt: new Date(row.created_at).toISOString(),
    error: row.error,
  };
}
