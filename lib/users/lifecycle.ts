import type { UserStatus } from "@/db/schema";
import {
  ACTION_DEFINITIONS,
  type ActionOptions,
  definition,
  inverseOf,
  LIFECYCLE_ACTIONS,
  type LifecycleAction,
} from "./actions";
import type { Rule, Tone } from "./actions/define";
import type { Permission } from "./permissions";

export { LIFECYCLE_ACTIONS, type LifecycleAction };

export type ActionRule = {
  /** The verb people see, on menus, bulk buttons and confirm buttons. */
  verb: string;
  from: readonly UserStatus[];
  /** The status it leads to; "previous" = the one stored when archived; null = row removed; "same" = unchanged. */
  to: Rule["to"];
  permission: Permission;
  needsTransfer: boolean;
  needsSeat: boolean;
  endsSessions: boolean;
  /** What happens, in the words the confirmation dialog uses. */
  effect: string;
  /** The action that undoes it, where one exists. */
  inverse: LifecycleAction | null;
  destructive: boolean;
  tone: Tone;
};

/**
 * The lifecycle table (SPEC.md, Flows), read off the definitions in lib/users/actions/: the
 * server guard and the UI both ask it.
 */
export const LIFECYCLE = Object.fromEntries(
  LIFECYCLE_ACTIONS.map((action) => {
    const { rule, wording } = ACTION_DEFINITIONS[action];
    const row: ActionRule = {
      ...rule,
      verb: wording.verb,
      effect: wording.effect,
      inverse: inverseOf(action),
      destructive: rule.tone !== "gentle",
    };
    return [action, row];
  }),
) as Record<LifecycleAction, ActionRule>;

/**
 * What client code needs of the lifecycle table (menus, the bulk bar, jobs, Undo): plain data
 * that the console layout hands to the browser (components/lifecycle-rules.tsx), so that no
 * client bundle imports the definitions, and with them zod and the SQL hooks.
 */
type MenuRule = Pick<ActionRule, "verb" | "from" | "to" | "permission" | "tone" | "inverse">;
export type MenuRules = Record<LifecycleAction, MenuRule>;

export function menuRules(): MenuRules {
  return Object.fromEntries(
    LIFECYCLE_ACTIONS.map((action) => {
      const { verb, from, to, permission, tone, inverse } = LIFECYCLE[action];
      return [action, { verb, from, to, permission, tone, inverse }];
    }),
  ) as MenuRules;
}

/** Statuses that occupy a seat. */
export const SEAT_STATUSES: readonly UserStatus[] = ["invited", "active"];

/** The status a target ends in, or null when the row is removed. */
export function targetStatus(
  action: LifecycleAction,
  current: UserStatus,
  previous: UserStatus | null,
  options: ActionOptions = {},
): UserStatus | null {
  const def = definition(action);
  const to = def.rule.to;
  if (to === null) return null;
  const chosen = def.target?.(options);
  if (chosen) return chosen;
  if (to === "same") return current;
  if (to === "previous") {
    // Archived before we remembered where from: bring them back inactive, the safe choice.
    return previous && previous !== "archived" ? previous : "inactive";
  }
  return to;
}
