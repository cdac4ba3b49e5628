import { isEligibleOwner } from "@/db/eligible-owner";
import type { UserRole, UserStatus } from "@/db/schema";
import { formatCount, plural } from "@/lib/format";

/** The whole action is refused when the seats it needs aren't free: never part-applied. */
export function seatRefusal(needed: number, free: number): string | null {
  if (needed <= free) return null;
  return `Needs ${plural(needed, "seat", "seats")}; ${formatCount(free)} free. Free seats by deactivating users, or ask the workspace owner to raise the seat limit in Settings.`;
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
  if (!isEligibleOwner(args.newOwner)) {
    return "The new owner must be an active admin or the workspace owner. Choose someone else.";
  }
  return null;
}
