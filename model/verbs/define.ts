import type { Permission } from "../permissions";
import type { UserRole } from "../roles";
import type { UserStatus } from "../statuses";

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
  /** Why a user who already holds the value this verb writes is skipped ("Already has that role."). */
  unchanged?: string;
};

/** The account notices a verb may send ("Notify <name> by email"). */
export type NoticeKind = "deactivated" | "restored" | "reactivated" | "archived";

/**
 * The checkbox of a verb that may tell the people it changes (`notice`): off by default (seed
 * 001: "The contact won't be notified"). Its option is always `notify`.
 */
export const NOTIFY_FIELD = {
  kind: "checkbox",
  label: (who: string) => `Notify ${who} by email`,
} as const;

/**
 * Whether a verb takes something away (its tone is not gentle): deactivate, suspend, archive,
 * reject, delete. The workspace may require a reason for these (/settings, "Reasons").
 */
export function isDestructive(rule: Pick<Rule, "tone">): boolean {
  return rule.tone !== "gentle";
}

/** One user changed by the pipeline, as hooks see it (`status` null: a user it created). */
export type Change = { id: string; status: UserStatus | null; to: UserStatus | null };

/** What the pipeline lets hooks do, inside the action's transaction. */
export type Effects = {
  createInvitations: (userIds: string[]) => Promise<void>;
  queueNotices: (userIds: string[], kind: NoticeKind) => Promise<void>;
  /** A link to set a password: a reset, or the welcome of an approved access request. */
  sendPasswordLinks: (userIds: string[], purpose: "reset" | "approved") => Promise<void>;
  /** "Your request was declined" to people whose access request was rejected. */
  queueRejections: (userIds: string[]) => Promise<void>;
};

type HookArgs<O> = { changes: readonly Change[]; options: O; effects: Effects };

/** Fixed points of the pipeline (lib/users/transitions.ts) where a definition may act. */
type Hooks<O> = {
  /** After every status is written (and the audit, in the same transaction): e.g. send invitations. */
  afterStatus?: (args: HookArgs<O>) => Promise<void>;
};

/** What a field's refinement knows: when the request was made, and who makes it. */
export type RefineContext = { now: Date; actor: { role: UserRole } | { system: string } };

/** A field's own check beyond its kind: null when the value is fine, else what is wrong with it. */
type Refine<V> = (value: V, ctx: RefineContext) => string | null;

/** What a field that takes a value may add to its kind: that it must be given, and a check. */
type Valued<V> = {
  label: (who: string) => string;
  /** Without it the action is refused (and the dialog can't confirm). */
  required?: boolean;
  /**
   * A plain-written time that may be cleared: null (an empty field) clears the column, which is
   * then a value of its own (who has none is left "unchanged"), not a missing option.
   */
  clearable?: boolean;
  refine?: Refine<V>;
};

/**
 * An option of a verb, as data the browser may have: the confirmation dialog renders it, and
 * the server derives the option's strict schema from it (lib/users/verbs/options.ts, zod stays
 * on the server) and runs its `refine` with the request's time and actor.
 */
export type FieldSpec =
  /** A checkbox: the option is a boolean, unchecked when absent. */
  | { kind: "checkbox"; label: (who: string) => string }
  /** "Type <word> to confirm": the option must be exactly the word, or `refusal` is the answer. */
  | { kind: "typed"; word: string; refusal: string }
  /** A calendar day, YYYY-MM-DD. */
  | ({ kind: "date" } & Valued<string>)
  /** A minute, as an ISO time in UTC (the browser converts its local time). */
  | ({ kind: "datetime" } & Valued<string>)
  /** A role (change role, invite): the dialog has no control for it yet. */
  | ({ kind: "role" } & Valued<UserRole>)
  /**
   * Addresses as pasted (invite): one text, read by lib/users/address-list.ts into entries that
   * are each previewed, invited or skipped; its limits are PASTE_LIMITS (model/limits.ts).
   */
  | ({ kind: "emails" } & Valued<string>);

export type FieldSpecs = Record<string, FieldSpec>;

type ValueOf<S extends FieldSpec> = S extends { kind: "checkbox" }
  ? boolean
  : S extends { kind: "typed"; word: infer W }
    ? W
    : S extends { kind: "role" }
      ? UserRole
      : S extends { clearable: true }
        ? string | null
        : string;

type Mandatory<S extends FieldSpec> = S extends { kind: "typed" }
  ? true
  : S extends { required: true }
    ? true
    : false;

/** The options a verb's fields stand for, as the pipeline sees them once parsed. */
export type OptionsOfFields<F extends FieldSpecs> = {
  [K in keyof F as Mandatory<F[K]> extends true ? K : never]: ValueOf<F[K]>;
} & {
  [K in keyof F as Mandatory<F[K]> extends true ? never : K]?: ValueOf<F[K]>;
};

/**
 * What a verb acts on: the selected users, or new users its `emails` field names (invite: they
 * begin in `rule.to`, with the role of its `role` field, and `rule.from` is empty). A selection
 * verb is run by lib/users/transitions.ts, a new-users verb by lib/users/new-users.ts: same
 * checks of permission and options, preview then apply, audit and hooks in one transaction.
 */
type Subject = "selection" | "new-users";

export type VerbDefinition<A extends string = string, F extends FieldSpecs = FieldSpecs> = {
  name: A;
  subject?: Subject;
  rule: Rule;
  /** The verb's own options, as dialog fields; the server's strict schema is derived from them. */
  fields: F;
  /** Where an option overrides the rule's target status (restore "with a new invitation"). */
  target?: (
    options: FieldSpecs extends F ? Record<string, unknown> : Partial<OptionsOfFields<F>>,
  ) => UserStatus | undefined;
  /**
   * Columns of `users` set from options with the transition (column → option). With a status
   * to go to, they belong to it: cleared when the user leaves it. With `to: "same"` (change
   * role), a plain write. A column no migration has yet comes with a generated one
   * (scripts/model-migration.ts), its type from the option's kind.
   */
  writes?: Record<string, keyof F & string>;
  /**
   * The change ends by itself: at the time in option `at` (a datetime field, also written to a
   * column), the job runner runs `run` (default: the inverse) as the system `by` ("Policy: …")
   * on every user with that time in that column still in `rule.to` (with `to: "same"`: still in
   * a status of `rule.from`; schedule deactivation runs deactivate so).
   */
  expires?: { at: keyof F & string; by: `${"Policy" | "SCIM"}: ${string}`; run?: string };
  /**
   * The email its `notify` field (NOTIFY_FIELD) sends, when checked, to each user it changed:
   * the pipeline queues it in the outbox after the status is written, in the same transaction,
   * except when the option `unless` is set (restore "with a new invitation" says it already).
   */
  notice?: { kind: NoticeKind; unless?: keyof F & string };
  /**
   * Four-eyes: while the workspace requires a second admin (/settings, "Deletion approval"), a
   * person's confirmation makes a request that another admin or the owner approves
   * (lib/users/deletion-requests.ts) instead of changing anyone. The system's runs don't wait.
   */
  fourEyes?: true;
  wording: Wording;
  // Any definition (the registry's wide type) takes any options; each one, its own.
  hooks?: Hooks<FieldSpecs extends F ? Record<string, unknown> : OptionsOfFields<F>>;
};

export function defineVerb<const A extends string, const F extends FieldSpecs>(
  definition: VerbDefinition<A, F>,
): VerbDefinition<A, F> {
  return definition;
}
