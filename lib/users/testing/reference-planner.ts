/**
 * The reference planner: the lifecycle rules one target at a time, in TypeScript. Production never
 * calls it; the tests hold the SQL planner (plan-sql.ts, preview-sql.ts, apply-sql.ts) to it.
 */
import type { UserStatus } from "@/db/schema";
import { type Doer, type Person, rankRefusal } from "@/model/permissions";
import { plainWrites, skipReason, type VerbOptions } from "@/model/verbs";
import { LIFECYCLE, SEAT_STATUSES, targetStatus, type Verb } from "../lifecycle";
import type { UserCore } from "../queries";
import type { SkipCode, Skipped } from "../verb-types";

/** A target as loaded (and, when applying, locked) from the database. */
export type LoadedTarget = UserCore;

/** What the viewer asked for: an id and the status they saw it in (absent for "all matching"). */
export type RequestedTarget = { id: string; expectedStatus?: UserStatus };

type PlannedChange = LoadedTarget & { to: UserStatus | null };

export type Plan = {
  action: Verb;
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

function skip(action: Verb, id: string, name: string | null, code: SkipCode): Skipped {
  return { id, name, code, reason: skipReason(action, code) };
}

/** A written value and the one held: times compare as instants. */
function sameValue(held: unknown, given: unknown): boolean {
  if (held === null || given === null) return held === given;
  if (
    held instanceof Date ||
    (typeof held === "string" && typeof given === "string" && /T/.test(given))
  ) {
    return new Date(held as string).getTime() === new Date(given as string).getTime();
  }
  return held === given;
}

/** Why one target is left alone, or null when the action applies to it. */
export function skipCode(
  actor: Doer,
  action: Verb,
  target: LoadedTarget,
  expectedStatus?: UserStatus,
  options: VerbOptions = {},
): SkipCode | null {
  const refusal = rankRefusal(actor, target);
  if (refusal) return refusal;
  if (expectedStatus !== undefined && expectedStatus !== target.status) return "conflict";
  if (!LIFECYCLE[action].from.includes(target.status)) return "status";
  // A verb that only writes columns leaves alone whoever already holds every value it writes.
  const writes = plainWrites(action);
  const given = options as Record<string, unknown>;
  const row = target as unknown as Record<string, unknown>;
  if (
    writes.length > 0 &&
    writes.every(
      ([column, option]) =>
        given[option] !== undefined && sameValue(row[column] ?? null, given[option] ?? null),
    )
  ) {
    return "unchanged";
  }
  return null;
}

/**
 * Decides, for every target, whether the action changes it (and to what) or skips it (and why).
 * Production plans in SQL (plan-sql.ts: the preview and the apply step run the same plan); this
 * is the plain-TypeScript reference the SQL planner is tested against, row by row.
 */
export function planAction(args: {
  actor: Person;
  action: Verb;
  targets: readonly LoadedTarget[];
  /** Explicit selections: the ids asked for, each with the status the viewer saw. */
  requested?: readonly RequestedTarget[] | null;
  options?: VerbOptions;
}): Plan {
  const { actor, action } = args;
  const expected = new Map((args.requested ?? []).map((r) => [r.id, r.expectedStatus]));
  const changes: PlannedChange[] = [];
  const skipped: Skipped[] = [];
  const loaded = new Set<string>();
  for (const target of args.targets) {
    loaded.add(target.id);
    const code = skipCode(actor, action, target, expected.get(target.id), args.options);
    if (code) {
      skipped.push(skip(action, target.id, target.name, code));
      continue;
    }
    const to = targetStatus(action, target.status, target.previousStatus, args.options);
    changes.push({ ...target, to });
  }
  for (const r of args.requested ?? []) {
    if (!loaded.has(r.id)) skipped.push(skip(action, r.id, null, "notFound"));
  }
  return {
    action,
    changes,
    skipped,
    conflicts: skipped.filter((s) => s.code === "conflict").length,
    seatsNeeded: changes.filter((c) => !usesSeat(c.status) && usesSeat(c.to)).length,
  };
}
