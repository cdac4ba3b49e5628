import type { UserRole, UserStatus } from "@/db/schema";
import { SKIP_REASONS } from "@/lib/users/action-types";
import { LIFECYCLE, LIFECYCLE_ACTIONS, type LifecycleAction } from "@/lib/users/lifecycle";
import { can, type Person, rankRefusal } from "@/lib/users/permissions";
import { TAB_STATUSES, type Tab } from "@/lib/users/view";

export type RowTarget = Person & { status: UserStatus };

/** What this viewer may do to this user: the lifecycle's from-statuses, the role's permissions, and the rank rules. */
export function actionsForRow(actor: Person, target: RowTarget): LifecycleAction[] {
  if (rankRefusal(actor, target)) return [];
  return LIFECYCLE_ACTIONS.filter(
    (action) =>
      LIFECYCLE[action].from.includes(target.status) &&
      can(actor.role, LIFECYCLE[action].permission),
  );
}

/** Why the row menu offers nothing: the rank rules first (owner, yourself, rank), else the role. */
export function noActionsReason(actor: Person, target: RowTarget): string {
  const refusal = rankRefusal(actor, target);
  if (refusal) return SKIP_REASONS[refusal];
  return "Your role has no action for a user in this status.";
}

/** Bulk bar for checked rows: every action that applies to at least one of them. */
export function actionsForRows(actor: Person, targets: readonly RowTarget[]): LifecycleAction[] {
  const offered = new Set(targets.flatMap((t) => actionsForRow(actor, t)));
  return LIFECYCLE_ACTIONS.filter((a) => offered.has(a));
}

/**
 * Bulk bar for "all N matching": the rows are not all loaded, so offer what the role may do to
 * the statuses of the tab; the preview then says who will be skipped and why.
 */
export function actionsForTab(role: UserRole, tab: Tab): LifecycleAction[] {
  return LIFECYCLE_ACTIONS.filter(
    (action) =>
      can(role, LIFECYCLE[action].permission) &&
      LIFECYCLE[action].from.some((s) => TAB_STATUSES[tab].includes(s)),
  );
}
