import { randomUUID } from "node:crypto";
import { asc, type SQL, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { RECORD_KINDS, type RecordsMoved, users } from "@/db/schema";
import { redactReasons } from "@/lib/audit/redact";
import type {
  ActionResult,
  OwnedRecords,
  ParsedActionInput,
  ParsedSelection,
  PreviewResult,
} from "./action-types";
import { type ActionOptions, definition } from "./actions";
import type { Effects } from "./actions/define";
import { createInvitations, queueNotices, revokeInvitations } from "./invitations";
import { LIFECYCLE, type LifecycleAction } from "./lifecycle";
import { ownedRecordCounts, RECORD_TABLES, type RecordCounts, totalRecords } from "./ownership";
import { can, type Person } from "./permissions";
import {
  conflictMessage,
  type LoadedTarget,
  type NewOwnerCandidate,
  type PlannedChange,
  planAction,
  seatRefusal,
  transferRefusal,
} from "./preview";
import { seatsUsed, usersFilterWhere } from "./queries";
import { moveRecordsRemembered, returnRecords } from "./record-transfers";
import { freeSeats, lockSeats } from "./seats";
import { isUuid, jsonRows, regexLiteral, uuidArray } from "./sql";

export function permissionError(action: LifecycleAction): string {
  return definition(action).wording.denied;
}

export { DELETE_CONFIRMATION, DELETE_NOT_CONFIRMED } from "./actions/delete";

/** Test seams: throw from one of these to prove the transaction leaves nothing behind. */
export type TransitionHooks = {
  afterLock?: () => unknown;
  afterTransfer?: () => unknown;
  afterStatus?: () => unknown;
};

export type ApplyArgs = {
  actor: Person;
  action: LifecycleAction;
  input: ParsedActionInput;
  /** The workspace's seat limit (settings().seats in the app). */
  seatLimit: number;
  now?: Date;
  requestId?: string | null;
  /** Origin for links in emails (invitations). */
  baseUrl?: string;
  hooks?: TransitionHooks;
};

const TARGET_COLUMNS = {
  id: users.id,
  name: users.name,
  email: users.email,
  role: users.role,
  status: users.status,
  previousStatus: users.previousStatus,
};

function selectionWhere(selection: ParsedSelection): SQL | null {
  if (selection.kind === "ids") {
    const ids = selection.targets.map((t) => t.id).filter(isUuid);
    return ids.length ? sql`${users.id} = any(${uuidArray(ids)})` : null;
  }
  const exclude = selection.excludeIds.filter(isUuid);
  const where = usersFilterWhere(selection.filter);
  return exclude.length ? sql`${where} and not (${users.id} = any(${uuidArray(exclude)}))` : where;
}

/** The selection's users, by name, for the preview. */
async function readTargets(db: Executor, selection: ParsedSelection): Promise<LoadedTarget[]> {
  const where = selectionWhere(selection);
  if (!where) return [];
  return db.select(TARGET_COLUMNS).from(users).where(where).orderBy(asc(users.name), asc(users.id));
}

type Locked = { targets: LoadedTarget[]; newOwner: NewOwnerCandidate };

/**
 * The selection's users, and the new owner if one is named, locked FOR UPDATE in ONE statement
 * in id order: concurrent actions then queue on the same rows in the same order, never deadlock.
 */
async function lockTargets(
  db: Executor,
  selection: ParsedSelection,
  newOwnerId: string | undefined,
): Promise<Locked> {
  const where = selectionWhere(selection);
  const owner = newOwnerId !== undefined && isUuid(newOwnerId) ? newOwnerId : null;
  if (!where && !owner) return { targets: [], newOwner: null };
  const selected = where ?? sql`false`;
  // Whether a row is in the selection: known from the ids for an explicit selection (a per-row
  // test against a long id list would cost O(n²) in a generic plan); the filter, evaluated, else.
  const ids = selection.kind === "ids" ? new Set(selection.targets.map((t) => t.id)) : null;
  const inFilter = ids ? sql<boolean>`false` : sql<boolean>`coalesce(${selected}, false)`;
  const rows = await db
    .select({ ...TARGET_COLUMNS, inFilter })
    .from(users)
    .where(owner ? sql`(${selected}) or ${users.id} = ${owner}::uuid` : selected)
    .orderBy(asc(users.id))
    .for("update");
  const targets: LoadedTarget[] = [];
  let newOwner: NewOwnerCandidate = null;
  for (const { inFilter: matches, ...row } of rows) {
    if (row.id === owner) newOwner = { id: row.id, role: row.role, status: row.status };
    if (ids ? ids.has(row.id) : matches) targets.push(row);
  }
  return { targets, newOwner };
}

function requestedOf(selection: ParsedSelection) {
  return selection.kind === "ids" ? selection.targets : null;
}

/**
 * Applies one lifecycle action to a whole selection in ONE transaction, set-based: lock the
 * targets, re-check each one, check seats and the new owner, move records, change every status
 * in one statement, write every audit event in one statement. Either all of it happens or none.
 * Refusals (seats, new owner, typed confirmation, conflicts with onConflict "abort") change nothing.
 */
export async function applyLifecycleAction(db: Executor, args: ApplyArgs): Promise<ActionResult> {
  const { actor, action, input } = args;
  const rule = LIFECYCLE[action];
  if (!can(actor.role, rule.permission)) return { ok: false, error: permissionError(action) };
  const def = definition(action);
  // The action's own options, checked here too: the domain is called by more than the server action.
  const parsedOptions = def.options.safeParse(input.options);
  if (!parsedOptions.success) {
    return {
      ok: false,
      error: parsedOptions.error.issues[0]?.message ?? "Those options aren't valid.",
    };
  }
  const options = parsedOptions.data as ActionOptions;
  const now = args.now ?? new Date();

  return db.transaction(async (tx) => {
    // The seat lock comes before any row lock (see seats.ts): two seat-using changes queue here.
    if (rule.needsSeat) await lockSeats(tx);
    const needsOwner = rule.needsTransfer ? input.newOwnerId : undefined;
    const { targets, newOwner } = await lockTargets(tx, input.selection, needsOwner);
    await args.hooks?.afterLock?.();
    const plan = planAction({
      actor,
      action,
      targets,
      requested: requestedOf(input.selection),
      options,
    });
    if (plan.conflicts > 0 && input.onConflict === "abort") {
      return { ok: false, conflict: true, error: conflictMessage(plan.conflicts) };
    }
    const { changes } = plan;
    const ok: ActionResult = {
      ok: true,
      action,
      done: changes.length,
      changed: changes.map((c) => ({ id: c.id, name: c.name, status: c.to })),
      skipped: plan.skipped,
    };
    if (changes.length === 0) return ok;

    if (plan.seatsNeeded > 0) {
      const refusal = seatRefusal(plan.seatsNeeded, await freeSeats(tx, args.seatLimit));
      if (refusal) return { ok: false, error: refusal };
    }

    const ids = changes.map((c) => c.id);
    let moved = new Map<string, RecordsMoved>();
    // An action with an inverse remembers whose records it moved, for its Undo.
    const remember = rule.inverse !== null ? { changeId: randomUUID(), action, now } : null;
    if (rule.needsTransfer) {
      const transfer = await transferRecords(tx, {
        ids,
        newOwnerId: input.newOwnerId,
        newOwner,
        verb: rule.verb,
        remember,
      });
      if ("error" in transfer) return { ok: false, error: transfer.error };
      moved = transfer.moved;
      if (remember && moved.size > 0) ok.changeId = remember.changeId;
    }
    await args.hooks?.afterTransfer?.();

    await writeStatuses(tx, { action, changes, actorId: actor.id, now });
    if (input.undoOf) {
      const back = await returnRecords(tx, { undoOf: input.undoOf, action, userIds: ids, now });
      for (const [id, m] of back.moved) moved.set(id, m);
      ok.recordsReturned = { returned: back.returned, stayed: back.stayed };
    }
    await def.hooks?.afterStatus?.({
      changes,
      options,
      effects: pipelineEffects(tx, { actorId: actor.id, now, baseUrl: args.baseUrl }),
    });
    await args.hooks?.afterStatus?.();

    await insertAuditEvents(tx, {
      action,
      changes,
      moved,
      actorId: actor.id,
      now,
      reason: input.reason || null,
      requestId: args.requestId ?? null,
    });
    // After the events above: the delete's own reason may name the people it erases.
    if (rule.to === null) await redactReasons(tx, { people: changes, actorId: actor.id, now });
    return ok;
  });
}

async function transferRecords(
  tx: Executor,
  args: {
    ids: string[];
    newOwnerId: string | undefined;
    /** Locked with the targets: can't be deactivated or deleted until the records are theirs. */
    newOwner: NewOwnerCandidate;
    verb: string;
    remember: { changeId: string; action: LifecycleAction; now: Date } | null;
  },
): Promise<{ moved: Map<string, RecordsMoved> } | { error: string }> {
  const { newOwner } = args;
  const counts = await ownedRecordCounts(tx, args.ids);
  const error = transferRefusal({
    ownersCount: counts.size,
    newOwnerId: args.newOwnerId,
    newOwner,
    changingIds: new Set(args.ids),
    verb: args.verb,
  });
  if (error) return { error };
  const moved = new Map<string, RecordsMoved>();
  if (counts.size === 0 || !newOwner) return { moved };
  const owners = [...counts.keys()];
  for (const kind of RECORD_KINDS) {
    if (![...counts.values()].some((c) => c[kind] > 0)) continue;
    // One statement per kind, for every owner at once.
    if (args.remember) {
      await moveRecordsRemembered(tx, { kind, owners, newOwnerId: newOwner.id, ...args.remember });
      continue;
    }
    await tx.execute(
      sql`update ${RECORD_TABLES[kind]} set owner_id = ${newOwner.id} where owner_id = any(${uuidArray(owners)})`,
    );
  }
  for (const [id, c] of counts) moved.set(id, { newOwnerId: newOwner.id, ...nonZero(c) });
  return { moved };
}

function nonZero(counts: RecordCounts): Partial<RecordCounts> {
  return Object.fromEntries(RECORD_KINDS.filter((k) => counts[k] > 0).map((k) => [k, counts[k]]));
}

async function writeStatuses(
  tx: Executor,
  args: { action: LifecycleAction; changes: PlannedChange[]; actorId: string; now: Date },
): Promise<void> {
  const { action, changes } = args;
  if (LIFECYCLE[action].to === null) {
    await eraseUsers(tx, changes);
    return;
  }
  // An open invitation link must not bring back someone just taken out of use.
  if (LIFECYCLE[action].endsSessions) {
    await revokeInvitations(
      tx,
      changes.map((c) => c.id),
      args.now,
    );
  }
  const rows = changes
    .filter((c) => c.to !== c.status)
    .map((c) => ({
      id: c.id,
      to_status: c.to,
      previous_status: c.to === "archived" ? c.status : c.previousStatus,
    }));
  if (rows.length === 0) return;
  const bump = LIFECYCLE[action].endsSessions ? 1 : 0;
  await tx.execute(sql`
    update ${users} as u set
      status = v.to_status,
      previous_status = v.previous_status,
      status_changed_at = ${args.now.toISOString()}::timestamptz,
      status_changed_by = ${args.actorId}::uuid,
      session_version = u.session_version + ${bump}::int
    from jsonb_to_recordset(${jsonRows(rows)}) as v(id uuid, to_status user_status, previous_status user_status)
    where u.id = v.id`);
}

/**
 * Permanent delete: the rows go, and with them (FK cascade) their invitations, notes and the
 * mail addressed to them. Mail to others that names them (an invitation says who sent it) is
 * rewritten, so that no name or address of theirs survives anywhere. The audit keeps ids only.
 */
async function eraseUsers(tx: Executor, changes: PlannedChange[]): Promise<void> {
  const ids = changes.map((c) => c.id);
  // Names under 3 letters would match inside ordinary words: those are left alone.
  const words = changes.flatMap((c) => [c.email, c.name.trim()]).filter((w) => w.length >= 3);
  await tx.execute(
    sql`delete from outbox where lower(to_email) in (select lower(e) from jsonb_array_elements_text(${jsonRows(changes.map((c) => c.email))}) as e)`,
  );
  const pattern = words.map(regexLiteral).join("|");
  if (pattern) {
    await tx.execute(sql`
    update outbox set
      subject = regexp_replace(subject, ${pattern}, 'a former member', 'gi'),
      body = regexp_replace(body, ${pattern}, 'a former member', 'gi'),
      last_error = regexp_replace(last_error, ${pattern}, 'a former member', 'gi')
    where subject ~* ${pattern} or body ~* ${pattern} or last_error ~* ${pattern}`);
  }
  await tx.execute(sql`delete from ${users} where id = any(${uuidArray(ids)})`);
}

async function insertAuditEvents(
  tx: Executor,
  args: {
    action: LifecycleAction;
    changes: PlannedChange[];
    moved: Map<string, RecordsMoved>;
    actorId: string;
    now: Date;
    reason: string | null;
    requestId: string | null;
  },
): Promise<void> {
  const rows = args.changes.map((c) => ({
    target_id: c.id,
    from_status: c.status,
    to_status: c.to,
    records_moved: args.moved.get(c.id) ?? null,
  }));
  await tx.execute(sql`
    insert into audit_events (at, actor_id, action, target_id, from_status, to_status, records_moved, reason, request_id)
    select ${args.now.toISOString()}::timestamptz, ${args.actorId}::uuid, ${args.action}, v.target_id,
      v.from_status, v.to_status, v.records_moved, ${args.reason}, ${args.requestId}
    from jsonb_to_recordset(${jsonRows(rows)})
      as v(target_id uuid, from_status user_status, to_status user_status, records_moved jsonb)`);
}

/** What a definition's hooks may do, bound to this action's transaction. */
function pipelineEffects(
  tx: Executor,
  args: { actorId: string; now: Date; baseUrl: string | undefined },
): Effects {
  const baseUrl = args.baseUrl ?? "http://localhost:3000";
  return {
    createInvitations: (userIds) =>
      createInvitations(tx, { userIds, createdBy: args.actorId, baseUrl, now: args.now }),
    queueNotices: (userIds, kind) => queueNotices(tx, { userIds, kind, baseUrl, now: args.now }),
  };
}

export type PreviewArgs = {
  actor: Person;
  action: LifecycleAction;
  selection: ParsedSelection;
  options?: ActionOptions;
  limit: number;
  seatLimit: number;
};

/** What the confirmation dialog shows: the same plan the apply step runs, without locks or writes. */
export async function previewLifecycleAction(
  db: Executor,
  args: PreviewArgs,
): Promise<PreviewResult> {
  const { actor, action } = args;
  const rule = LIFECYCLE[action];
  if (!can(actor.role, rule.permission)) return { ok: false, error: permissionError(action) };
  const targets = await readTargets(db, args.selection);
  const plan = planAction({
    actor,
    action,
    targets,
    requested: requestedOf(args.selection),
    options: args.options,
  });
  const ownership: OwnedRecords[] = [];
  if (rule.needsTransfer && plan.changes.length > 0) {
    const counts = await ownedRecordCounts(
      db,
      plan.changes.map((c) => c.id),
    );
    for (const c of plan.changes) {
      const owned = counts.get(c.id);
      if (owned && totalRecords(owned) > 0)
        ownership.push({ userId: c.id, name: c.name, ...owned });
    }
  }
  let seats: { needed: number; free: number } | null = null;
  let blocked: string | null = null;
  if (rule.needsSeat) {
    const free = Math.max(0, args.seatLimit - (await seatsUsed(db)));
    seats = { needed: plan.seatsNeeded, free };
    blocked = seatRefusal(plan.seatsNeeded, free);
  }
  return {
    ok: true,
    action,
    willChangeCount: plan.changes.length,
    willChange: plan.changes
      .slice(0, args.limit)
      .map(({ id, name, email, status, role }) => ({ id, name, email, status, role })),
    skippedCount: plan.skipped.length,
    skipped: plan.skipped.slice(0, args.limit),
    ownership,
    seats,
    blocked,
  };
}
