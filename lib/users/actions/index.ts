import { approve } from "./approve";
import { archive } from "./archive";
import { deactivate } from "./deactivate";
import type { ActionDefinition, OptionsOfFields } from "./define";
import { deleteAction } from "./delete";
import { reactivate } from "./reactivate";
import { reinvite } from "./reinvite";
import { reject } from "./reject";
import { restore } from "./restore";

/**
 * Every lifecycle action, one definition each, in the order menus and the bulk bar offer them.
 * The server action's input, the pipeline's hooks, the dialog's fields, menus, toasts and audit
 * labels are all derived from here: a new verb is a new file and one line below.
 */
export const ACTION_DEFINITIONS = {
  deactivate,
  reactivate,
  reinvite,
  archive,
  restore,
  approve,
  reject,
  delete: deleteAction,
} as const;

export type LifecycleAction = keyof typeof ACTION_DEFINITIONS;
export type Definitions = typeof ACTION_DEFINITIONS;

export const LIFECYCLE_ACTIONS = Object.keys(ACTION_DEFINITIONS) as [
  LifecycleAction,
  ...LifecycleAction[],
];

export function isLifecycleAction(name: string): name is LifecycleAction {
  return Object.hasOwn(ACTION_DEFINITIONS, name);
}

export function definition(action: LifecycleAction): ActionDefinition {
  return ACTION_DEFINITIONS[action] as unknown as ActionDefinition;
}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (
  x: infer I,
) => void
  ? I
  : never;

/** Options of one action, as its fields stand for them. */
export type OptionsOf<A extends LifecycleAction> = OptionsOfFields<Definitions[A]["fields"]>;

/** Any action's options: what the pipeline passes around, each key as its own action types it. */
export type ActionOptions = Partial<
  UnionToIntersection<Exclude<OptionsOf<LifecycleAction>, Record<string, never>>>
>;

/** The inverse of an action, checked against the registry when this module loads. */
export function inverseOf(action: LifecycleAction): LifecycleAction | null {
  const inverse = ACTION_DEFINITIONS[action].rule.inverse;
  if (inverse === null) return null;
  if (!isLifecycleAction(inverse)) throw new Error(`${action}: unknown inverse "${inverse}"`);
  return inverse;
}

for (const action of LIFECYCLE_ACTIONS) inverseOf(action);
