import type { UserStatus } from "@/db/schema";
import type { Permission } from "@/model/permissions";
import {
  definition,
  inverseOf,
  VERB_NAMES,
  VERBS,
  type Verb,
  type VerbOptions,
} from "@/model/verbs";
import type { Rule, Tone } from "@/model/verbs/define";

export { VERB_NAMES, type Verb };

export type VerbRule = {
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
  inverse: Verb | null;
  destructive: boolean;
  tone: Tone;
};

/**
 * The lifecycle table (docs/lifecycle.md, Verbs), read off the definitions in model/verbs/: the
 * server guard and the UI both ask it.
 */
export const LIFECYCLE = Object.fromEntries(
  VERB_NAMES.map((action) => {
    const { rule, wording } = VERBS[action];
    const row: VerbRule = {
      ...rule,
      verb: wording.verb,
      effect: wording.effect,
      inverse: inverseOf(action),
      destructive: rule.tone !== "gentle",
    };
    return [action, row];
  }),
) as Record<Verb, VerbRule>;

/**
 * What client code reads of the lifecycle table (menus, the bulk bar, jobs, Undo): the table
 * itself, imported like the definitions it is read off (model/verbs/, client-safe by
 * construction: nothing there imports zod, SQL or the server).
 */
export type MenuRules = Record<Verb, VerbRule>;

export { SEAT_STATUSES } from "@/model/statuses";

/** The status a target ends in, or null when the row is removed. */
export function targetStatus(
  action: Verb,
  current: UserStatus,
  previous: UserStatus | null,
  options: VerbOptions = {},
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
