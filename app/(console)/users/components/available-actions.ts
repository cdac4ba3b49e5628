import type { MenuRules, Verb } from "@/lib/users/lifecycle";
import { can, type Person, rankRefusal } from "@/model/permissions";
import type { UserRole } from "@/model/roles";
import { SKIP_REASONS } from "@/model/skip-reasons";
import { TAB_STATUSES, type Tab, type UserStatus } from "@/model/statuses";

export type RowTarget = Person & { status: UserStatus };

/** What this viewer may do to this user: the lifecycle's from-statuses, the role's permissions, and the rank rules. */
export function actionsForRow(rules: MenuRules, actor: Person, target: RowTarget): Verb[] {
  if (rankRefusal(actor, target)) return [];
  return actionsOf(rules).filter(
    (action) =>
      rules[action].from.includes(target.status) && can(actor.role, rules[action].permission),
  );
}

/** The actions in the order menus offer them (the definitions' order). */
function actionsOf(rules: MenuRules): Verb[] {
  return Object.keys(rules) as Verb[];
}

/** Why the row menu offers nothing: the rank rules first (owner, yourself, rank), else the role. */
export function noActionsReason(actor: Person, target: RowTarget): string {
  const refusal = rankRefusal(actor, target);
  if (refusal) return SKIP_REASONS[refusal];
  return "Your role has no action for a user in this status.";
}

/** Bulk bar for checked rows: every action that applies to at least one of them. */
export function actionsForRows(
  rules: MenuRules,
  actor: Person,
  targets: readonly RowTarget[],
): Verb[] {
  const offered = new Set(targets.flatMap((t) => actionsForRow(rules, actor, t)));
  return actionsOf(rules).filter((a) => offered.has(a));
}

/**
 * Why the bulk bar offers nothing for these checked rows: each distinct reason once, in the
 * order of the rows ("That's you…", "Ranks the same as or above you.").
 */
export function noBulkActionsReason(actor: Person, targets: readonly RowTarget[]): string {
  const reasons = [...new Set(targets.map((t) => noActionsReason(actor, t)))];
  const who = targets.length === 1 ? "this user" : "the checked users";
  return `No action you can take on ${who}. ${reasons.join(" ")}`;
}

/**
 * Bulk bar for "all N matching": the rows are not all loaded, so offer what the role may do to
 * the statuses of the tab; the preview then says who will be skipped and why.
 */
export function actionsForTab(rules: MenuRules, role: UserRole, tab: Tab): Verb[] {
  return actionsOf(rules).filter(
    (action) =>
      can(role, rules[action].permission) &&
      rules[action].from.some((s) => TAB_STATUSES[tab].includes(s)),
  );
}
