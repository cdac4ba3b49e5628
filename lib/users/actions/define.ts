import type { UserStatus } from "@/db/schema";
import type { Permission } from "../permissions";

/** How the UI presents an action: gentle ones first, then the ones that take something away, deletion last. */
export type Tone = "gentle" | "taking" | "deleting";

export type Rule = {
  from: readonly UserStatus[];
  /** The status it leads to; "previous" = the one stored when archived; null = row removed; "same" = unchanged. */
  to: UserStatus | "previous" | "same" | null;
  permission: Permission;
  /** Users who own records can't be changed until a new owner takes the records over. */
  needsTransfer: boolean;
  needsSeat: boolean;
  endsSessions: boolean;
  /** The action that undoes it (by name), where one exists. Undo also moves transferred records back. */
  inverse: string | null;
  tone: Tone;
};

type Wording = {
  /** Menus, bulk buttons, the confirm button. */
  verb: string;
  /** The dialog's title: "<title> 3 users?". */
  title: string;
  /** The confirm button while it runs. */
  pending: string;
  /** The result: "<done> 3 users." and the preview's "will be <done>". */
  done: string;
  /** A history line: "<past> by <actor>". */
  past: string;
  /** Refused for want of the permission. */
  denied: string;
  /** What happens, in the dialog's description. */
  effect: string;
  /** An extra warning the dialog shows above the confirmation. */
  warning?: string;
};

/** One user changed by the pipeline, as hooks see it. */
export type Change = { id: string; status: UserStatus; to: UserStatus | null };

/** What the pipeline lets hooks do, inside the action's transaction. */
export type Effects = {
  createInvitations: (userIds: string[]) => Promise<void>;
  queueNotices: (userIds: string[], kind: "deactivated" | "restored") => Promise<void>;
};

type HookArgs<O> = { changes: readonly Change[]; options: O; effects: Effects };

/** Fixed points of the pipeline (lib/users/transitions.ts) where a definition may act. */
type Hooks<O> = {
  /** After every status is written (and the audit, in the same transaction): e.g. send invitations. */
  afterStatus?: (args: HookArgs<O>) => Promise<void>;
};

/**
 * An option of an action, as data the browser may have: the confirmation dialog renders it, and
 * the server derives the option's strict schema from it (./options.ts, zod stays on the server).
 */
export type FieldSpec =
  /** A checkbox: the option is a boolean, unchecked when absent. */
  | { kind: "checkbox"; label: (who: string) => string }
  /** "Type <word> to confirm": the option must be exactly the word, or `refusal` is the answer. */
  | { kind: "typed"; word: string; refusal: string }
  /** A calendar day, YYYY-MM-DD, optional. */
  | { kind: "date"; label: (who: string) => string };

export type FieldSpecs = Record<string, FieldSpec>;

/** The options an action's fields stand for, as the pipeline sees them once parsed. */
export type OptionsOfFields<F extends FieldSpecs> = {
  [K in keyof F as F[K] extends { kind: "typed" } ? K : never]: F[K] extends { word: infer W }
    ? W
    : never;
} & {
  [K in keyof F as F[K] extends { kind: "typed" } ? never : K]?: F[K] extends { kind: "checkbox" }
    ? boolean
    : string;
};

export type ActionDefinition<A extends string = string, F extends FieldSpecs = FieldSpecs> = {
  action: A;
  rule: Rule;
  /** The action's own options, as dialog fields; the server's strict schema is derived from them. */
  fields: F;
  /** Where an option overrides the rule's target status (restore "with a new invitation"). */
  target?: (
    options: FieldSpecs extends F ? Record<string, unknown> : Partial<OptionsOfFields<F>>,
  ) => UserStatus | undefined;
  wording: Wording;
  // Any definition (the registry's wide type) takes any options; each one, its own.
  hooks?: Hooks<FieldSpecs extends F ? Record<string, unknown> : OptionsOfFields<F>>;
};

export function defineAction<const A extends string, const F extends FieldSpecs>(
  definition: ActionDefinition<A, F>,
): ActionDefinition<A, F> {
  return definition;
}
