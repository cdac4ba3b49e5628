import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { type Db, type Executor, queryRows } from "@/db/client";
import { jsonRows } from "@/db/sql";
import { IMPORT_JOB_ROWS } from "@/model/import-csv";
import { type Doer, isSystem, may } from "@/model/permissions";
import type { UserRole } from "@/model/roles";
import { STATUSES, TAB_LABELS, type Tab, tabOf, type UserStatus } from "@/model/statuses";
import { type NewUserVerb, newUserDefinition, newUserFields } from "@/model/verbs";
import { type PastedEntry, parseAddressList } from "./address-list";
import { stageNewUsers, startNewUsersJob } from "./new-users-job";
import { seatsUsed } from "./queries";
import { freeSeats } from "./seats";
import { pipelineEffects } from "./transitions";
import { optionsSchemaOf, refineOptions } from "./verbs/options";

/**
 * The pipeline of a verb whose subject is new people (model/verbs/invite.ts): the same steps as
 * the selection pipeline (transitions.ts), for rows that don't exist yet. Check the actor and
 * options → read the pasted addresses → plan in SQL (who exists, seats) → preview; apply re-plans
 * under the seat lock, refuses if the plan is not the one previewed, then inserts every new user
 * in one INSERT … SELECT with their audit events, and runs the definition's hooks, in one
 * transaction.
 */

type SkipCode = "invalid" | "duplicate" | "exists" | "seat";

export const NEW_USER_SKIPS = {
  invalid: "Not a valid email address.",
  duplicate: "Twice in the list: invited once.",
  exists: (tab: Tab) => `Already a user, on the ${TAB_LABELS[tab]} tab.`,
  seat: "No seat left.",
} as const;

/** One pasted entry and what becomes of it. */
export type EntryOutcome = {
  index: number;
  raw: string;
  email: string | null;
  name: string;
} & (
  | { invite: true }
  | {
      invite: false;
      code: SkipCode;
      reason: string;
      /** Already a user: who, and where they are listed (for a link). */
      user?: { id: string; tab: Tab };
    }
);

export type Skip = Extract<EntryOutcome, { invite: false }>;
type Invitee = Extract<EntryOutcome, { invite: true }>;

type NewUsersPlan = {
  outcomes: EntryOutcome[];
  invite: Invitee[];
  skipped: Skip[];
  /** Seats needed and free (null: the status they begin in holds no seat). */
  seats: { needed: number; free: number } | null;
  /** Proof of what the preview showed: the apply goes ahead only with the same plan. */
  fingerprint: string;
};

export const PLAN_CHANGED =
  "Something changed since the preview (a seat, or one of these people). Check the new preview and confirm again.";

/** A user an entry already names. */
type Existing = { id: string; status: UserStatus };

/**
 * What becomes of each entry, given who exists (by lower-cased address) and the free seats:
 * pure, in paste order. The first `free` new addresses are invited, the rest wait for a seat.
 */
function decide(
  entries: readonly PastedEntry[],
  existing: ReadonlyMap<string, Existing>,
  free: number,
): EntryOutcome[] {
  let left = free;
  return entries.map((e): EntryOutcome => {
    const base = { index: e.index, raw: e.raw, email: e.email, name: e.name };
    if (e.problem === "invalid" || e.email === null) {
      return { ...base, invite: false, code: "invalid", reason: NEW_USER_SKIPS.invalid };
    }
    if (e.problem === "duplicate") {
      return { ...base, invite: false, code: "duplicate", reason: NEW_USER_SKIPS.duplicate };
    }
    const user = existing.get(e.email.toLowerCase());
    if (user) {
      const tab = tabOf(user.status);
      return {
        ...base,
        invite: false,
        code: "exists",
        reason: NEW_USER_SKIPS.exists(tab),
        user: { id: user.id, tab },
      };
    }
    if (left < 1) return { ...base, invite: false, code: "seat", reason: NEW_USER_SKIPS.seat };
    left--;
    return { ...base, invite: true };
  });
}

function fingerprintOf(role: UserRole | null, invite: readonly Invitee[]): string {
  const h = createHash("sha256").update(`${role ?? ""}\n`);
  for (const e of invite) h.update(`${e.email?.toLowerCase()}\n${e.name}\n`);
  return h.digest("base64url");
}

/** Who among the addresses is a user already: one indexed lookup per address, in one query. */
async function existingUsers(
  db: Executor,
  entries: readonly PastedEntry[],
): Promise<Map<string, Existing>> {
  const emails = entries.filter((e) => e.problem === null && e.email).map((e) => ({ e: e.email }));
  if (!emails.length) return new Map();
  const rows = await queryRows<Existing & { key: string }>(
    db,
    sql`select lower(x.e) as key, u.id, u.status
        from jsonb_to_recordset(${jsonRows(emails)}) as x(e text)
        join users u on lower(u.email) = lower(x.e)`,
  );
  return new Map(rows.map((r) => [r.key, { id: r.id, status: r.status }]));
}

async function plan(
  db: Executor,
  args: { entries: PastedEntry[]; role: UserRole | null; to: UserStatus; free: number | null },
): Promise<NewUsersPlan> {
  const existing = await existingUsers(db, args.entries);
  const outcomes = decide(args.entries, existing, args.free ?? Number.POSITIVE_INFINITY);
  const invite = outcomes.filter((o): o is Invitee => o.invite);
  const skipped = outcomes.filter((o): o is Skip => !o.invite);
  const needed = invite.length + skipped.filter((s) => s.code === "seat").length;
  return {
    outcomes,
    invite,
    skipped,
    seats: args.free === null ? null : { needed, free: args.free },
    fingerprint: fingerprintOf(args.role, invite),
  };
}

export type NewUsersArgs = {
  actor: Doer;
  action: NewUserVerb;
  /** The verb's options as sent (checked here: the domain is called by more than the action). */
  options: unknown;
  seatLimit: number;
  now?: Date;
};

type Checked = {
  entries: PastedEntry[];
  role: UserRole | null;
  to: UserStatus;
  holdsSeat: boolean;
  options: Record<string, unknown>;
  now: Date;
};

/** Permission, the options' shape and refinements, then the paste: before any query. */
function check(args: NewUsersArgs): ({ ok: true } & Checked) | { ok: false; error: string } {
  const def = newUserDefinition(args.action);
  if (!may(args.actor, def.rule.permission)) return { ok: false, error: def.wording.denied };
  const parsed = optionsSchemaOf(def).safeParse(args.options);
  if (!parsed.success) {
    return { ok: false, error: parsed.error.issues[0]?.message ?? "Those options aren't valid." };
  }
  const options = parsed.data as Record<string, unknown>;
  const now = args.now ?? new Date();
  const refused = refineOptions(def, options, { now, actor: args.actor });
  if (refused) return { ok: false, error: refused };
  const keys = newUserFields(args.action);
  const list = parseAddressList(String(options[keys.emails] ?? ""));
  if (!list.ok) return list;
  const to = def.rule.to as UserStatus;
  return {
    ok: true,
    entries: list.entries,
    role: keys.role ? ((options[keys.role] as UserRole | undefined) ?? null) : null,
    to,
    holdsSeat: STATUSES[to].holdsSeat,
    options,
    now,
  };
}

export type NewUsersPreview =
  | ({ ok: true; action: NewUserVerb } & NewUsersPlan)
  | { ok: false; error: string };

/** What applying would do now, entry by entry (advisory: the apply plans again). */
export async function previewNewUsers(db: Executor, args: NewUsersArgs): Promise<NewUsersPreview> {
  const c = check(args);
  if (!c.ok) return c;
  const free = c.holdsSeat ? Math.max(0, args.seatLimit - (await seatsUsed(db))) : null;
  return { ok: true, action: args.action, ...(await plan(db, { ...c, free })) };
}

export type NewUsersResult =
  | {
      ok: true;
      action: NewUserVerb;
      done: number;
      created: { id: string; email: string; name: string }[];
      skipped: Skip[];
      /** Many to create: a job creates them (its id, and how many it will create). */
      job?: { id: string; total: number };
    }
  | { ok: false; error: string; conflict?: boolean };

/**
 * Creates the users the plan invites, in one transaction: the seat lock first (seats.ts), the
 * plan again, then one INSERT … SELECT of every user with one audit event each, then the
 * definition's hooks (invite: the invitations and their emails). With `expected` (the preview's
 * fingerprint), a different plan applies nothing. An address someone else took meanwhile (the
 * unique index on lower(email)) is skipped as already a user, never created twice.
 *
 * More than IMPORT_JOB_ROWS to create (the threshold Import CSV has): the people the plan invites
 * are staged and a job creates them in batches, with a progress bar (new-users-job.ts); each
 * batch checks the seats and who is a user again. The system (no person to run it as) applies
 * in one transaction whatever the number.
 */
export async function applyNewUsers(
  db: Db,
  args: NewUsersArgs & {
    expected?: string;
    requestId?: string | null;
    baseUrl?: string;
    /** Above this many people to create, a job (tests lower it). */
    jobAbove?: number;
  },
): Promise<NewUsersResult> {
  const c = check(args);
  if (!c.ok) return c;
  const def = newUserDefinition(args.action);
  const actorId = isSystem(args.actor) ? null : args.actor.id;
  return db.transaction(async (tx) => {
    const free = c.holdsSeat ? await freeSeats(tx, args.seatLimit) : null;
    const p = await plan(tx, { ...c, free });
    if (args.expected !== undefined && args.expected !== p.fingerprint) {
      return { ok: false as const, conflict: true, error: PLAN_CHANGED };
    }
    const at = c.now.toISOString();
    if (!isSystem(args.actor) && p.invite.length > (args.jobAbove ?? IMPORT_JOB_ROWS)) {
      const importId = await stageNewUsers(tx, {
        actorId: args.actor.id,
        label: `${def.wording.title}: ${p.invite.length} pasted addresses`,
        rows: p.invite.map((e) => ({
          line: e.index + 1,
          email: e.email as string,
          name: e.name,
          role: c.role ?? "member",
          status: c.to,
        })),
        at,
      });
      const job = await startNewUsersJob(tx, {
        action: args.action,
        importId,
        actorId: args.actor.id,
        total: p.invite.length,
        at,
        requestId: args.requestId ?? null,
        baseUrl: args.baseUrl ?? null,
      });
      return {
        ok: true as const,
        action: args.action,
        done: 0,
        created: [],
        skipped: p.skipped,
        job,
      };
    }
    const rows = p.invite.map((e) => ({ i: e.index, name: e.name, email: e.email }));
    const created = rows.length
      ? await queryRows<{ id: string; email: string; name: string }>(
          tx,
          sql`with x as (
                select * from jsonb_to_recordset(${jsonRows(rows)}) as x(i int, name text, email text)
              ), ins as (
                insert into users (name, email, role, status, status_changed_at, status_changed_by, created_at)
                select x.name, x.email, ${c.role ?? "member"}::user_role, ${c.to}::user_status,
                  ${at}::timestamptz, ${actorId}::uuid, ${at}::timestamptz
                from x order by x.i
                on conflict ((lower(email))) do nothing
                returning id, email, name
              ), audit as (
                insert into audit_events (at, actor_id, action, target_id, to_status, reason, request_id)
                select ${at}::timestamptz, ${actorId}::uuid, ${args.action}, ins.id, ${c.to}::user_status,
                  ${isSystem(args.actor) ? args.actor.system : null}, ${args.requestId ?? null}
                from ins order by ins.id
              )
              select id, email, name from ins`,
        )
      : [];
    const made = new Set(created.map((u) => u.email.toLowerCase()));
    const lost = p.invite
      .filter((e) => !made.has(e.email?.toLowerCase() ?? ""))
      .map((e): PastedEntry => ({ ...e, problem: null }));
    // Taken by a concurrent change between the plan and the insert: already a user now.
    const now = lost.length ? await existingUsers(tx, lost) : new Map<string, Existing>();
    const taken = decide(lost, now, 0).filter((o): o is Skip => !o.invite);
    if (created.length) {
      await def.hooks?.afterStatus?.({
        changes: created.map((u) => ({ id: u.id, status: null, to: c.to })),
        options: c.options,
        effects: pipelineEffects(tx, { actorId, now: c.now, baseUrl: args.baseUrl }),
      });
    }
    return {
      ok: true as const,
      action: args.action,
      done: created.length,
      created,
      skipped: [...p.skipped, ...taken].sort((a, b) => a.index - b.index),
    };
  });
}
