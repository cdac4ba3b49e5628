import type { UserRole, UserStatus } from "@/db/schema";
import { SKIP_REASONS, type SkipCode, type Skipped } from "./action-types";
import type { ActionOptions } from "./actions";
import { LIFECYCLE, type LifecycleAction, SEAT_STATUSES, targetStatus } from "./lifecycle";
import { type Person, rankRefusal } from "./permissions";

/** A target as loaded (and, when applying, locked) from the database. */
export type LoadedTarget = {
  id: string;
  name: string;
  email: string;
  role: UserRole;
  status: UserStatus;
  previousStatus: UserStatus | null;
};

/** What the viewer asked for: an id and the status they saw it in (absent for "all matching"). */
export type RequestedTarget = { id: string; expectedStatus?: UserStatus };

type PlannedChange = LoadedTarget & { to: UserStatus | null };

export type Plan = {
  action: LifecycleAction;
  changes: PlannedChange[];
  skipped: Skipped[];
  /** Targets changed by someone else since the viewer saw them. */
  conflicts: number;
  /** Seats the changes take (targets going from a seatless status to a seat-using one). */
  seatsNeeded: number;
};

function usesSeat(status: UserStatus | null): boolean {
  return status !== null && SEAT_STATUSES.includes(status);
}

function skip(id: string, name: string | null, code: SkipCode): Skipped {
  return { id, name, code, reason: SKIP_REASONS[code] };
}

/** Why one target is left alone, or null when the action applies to it. */
export function skipCode(
  actor: Person,
  action: LifecycleAction,
  target: LoadedTarget,
  expectedStatus?: UserStatus,
): SkipCode | null {
  const refusal = rankRefusal(actor, target);
  if (refusal) return refusal;
  if (expectedStatus !== undefined && expectedStatus !== target.status) return "conflict";
  if (!LIFECYCLE[action].from.includes(target.status)) return "status";
  return null;
}

/**
 * Decides, for every target, whether the action changes it (and to what) or skips it (and why).
 * The dialog's preview and the apply step both run this, on the same rows: what the admin was
 * shown is what is applied, re-checked against the rows as locked.
 */
export function planAction(args: {
  actor: Person;
  action: LifecycleAction;
  targets: readonly LoadedTarget[];
  /** Explicit selections: the ids asked for, each with the status the viewer saw. */
  requested?: readonly RequestedTarget[] | null;
  options?: ActionOptions;
}): Plan {
  const { actor, action } = args;
  const expected = new Map((args.requested ?? []).map((r) => [r.id, r.expectedStatus]));
  const changes: PlannedChange[] = [];
  const skipped: Skipped[] = [];
  const loaded = new Set<string>();
  for (const target of args.targets) {
    loaded.add(target.id);
    const code = skipCode(actor, action, target, expected.get(target.id));
    if (code) {
      skipped.push(skip(target.id, target.name, code));
      continue;
    }
    const to = targetStatus(action, target.status, target.previousStatus, args.options);
    changes.push({ ...target, to });
  }
  for (const r of args.requested ?? []) {
    if (!loaded.has(r.id)) skipped.push(skip(r.id, null, "notFound"));
  }
  return {
    action,
    changes,
    skipped,
    conflicts: skipped.filter((s) => s.code === "conflict").length,
    seatsNeeded: changes.filter((c) => !usesSeat(c.status) && usesSeat(c.to)).length,
  };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The whole action is refused when the seats it needs aren't free: never part-applied. */
export function seatRefusal(needed: number, free: number): string | null {
  if (needed <= free) return null;
  return `Needs ${plural(needed, "seat", "seats")}; ${free} free. Free seats by deactivating users, or raise the seat limit.`;
}

export function conflictMessage(conflicts: number): string {
  return `${plural(conflicts, "user was", "users were")} changed by someone else. Review and try again.`;
}

export type NewOwnerCandidate = { id: string; role: UserRole; status: UserStatus } | null;

/**
 * Archive and delete of users who own records need a new owner: an active admin or the owner,
 * who is not one of the users being changed.
 */
export function transferRefusal(args: {
  ownersCount: number;
  newOwnerId: string | undefined;
  newOwner: NewOwnerCandidate;
  changingIds: ReadonlySet<string>;
  verb: string;
}): string | null {
  if (args.newOwnerId === undefined) {
    if (args.ownersCount === 0) return null;
    return `${plural(args.ownersCount, "user owns", "users own")} records: choose a new owner for them first.`;
  }
  if (args.changingIds.has(args.newOwnerId)) {
    return `The new owner can't be one of the users you ${args.verb.toLowerCase()}. Choose someone else.`;
  }
  const o = args.newOwner;
  const eligible = o?.status === "active" && (o.role === "admin" || o.role === "owner");
  if (!eligible) {
    return "The new owner must be an active admin or the workspace owner. Choose someone else.";
  }
  return null;
}
