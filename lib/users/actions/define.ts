import { z } from "zod";
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

export type AnyOptionsSchema = z.ZodObject<z.ZodRawShape>;

export type ActionDefinition<
  A extends string = string,
  S extends AnyOptionsSchema = AnyOptionsSchema,
> = {
  action: A;
  rule: Rule;
  /** The action's own options, strict: the dialog's fields are rendered from it. */
  options: S;
  /** Labels of checkbox options, given who they are about ("Dora Departing", or "them"). */
  labels?: Partial<Record<keyof z.output<S> & string, (who: string) => string>>;
  /** Where an option overrides the rule's target status (restore "with a new invitation"). */
  target?: (options: Partial<z.output<S>>) => UserStatus | undefined;
  wording: Wording;
  hooks?: Hooks<z.output<S>>;
};

export function defineAction<const A extends string, S extends AnyOptionsSchema>(
  definition: ActionDefinition<A, S>,
): ActionDefinition<A, S> {
  return definition;
}

/** Options with nothing to choose. */
export const NO_OPTIONS = z.strictObject({});
