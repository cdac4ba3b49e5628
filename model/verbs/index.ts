import { SKIP_REASONS, type SkipCode } from "../skip-reasons";
import type { UserStatus } from "../statuses";
import { approve } from "./approve";
import { archive } from "./archive";
import { changeRole } from "./change-role";
import { deactivate } from "./deactivate";
import type { OptionsOfFields, VerbDefinition } from "./define";
import { deleteVerb } from "./delete";
import { invite } from "./invite";
import { reactivate } from "./reactivate";
import { reinvite } from "./reinvite";
import { reject } from "./reject";
import { restore } from "./restore";
import { scheduleDeactivation } from "./schedule-deactivation";
import { sendPasswordReset } from "./send-password-reset";
import { suspend } from "./suspend";

/**
 * Every lifecycle verb, one definition each, in the order menus and the bulk bar offer them.
 * The server action's input, the pipeline's hooks, the dialog's fields, menus, toasts and audit
 * labels are all derived from here: a new verb is a new file and one line below.
 */
export const VERBS = {
  deactivate,
  suspend,
  scheduleDeactivation,
  reactivate,
  reinvite,
  sendPasswordReset,
  changeRole,
  archive,
  restore,
  approve,
  reject,
  delete: deleteVerb,
} as const;

/**
 * Verbs whose subject is new people, named by an `emails` field (lib/users/new-users.ts runs
 * them): the same definition format, one file each and one line here.
 */
export const NEW_USER_VERBS = { invite } as const;

export type NewUserVerb = keyof typeof NEW_USER_VERBS;
export const NEW_USER_VERB_NAMES = Object.keys(NEW_USER_VERBS) as [NewUserVerb, ...NewUserVerb[]];

export function isNewUserVerb(name: string): name is NewUserVerb {
  return Object.hasOwn(NEW_USER_VERBS, name);
}

export function newUserDefinition(name: NewUserVerb): VerbDefinition {
  return NEW_USER_VERBS[name] as unknown as VerbDefinition;
}

/** The field of a new-users verb that holds the pasted addresses, and the one of their role. */
export function newUserFields(name: NewUserVerb): { emails: string; role: string | null } {
  const fields = Object.entries(newUserDefinition(name).fields);
  const emails = fields.filter(([, f]) => f.kind === "emails").map(([k]) => k);
  const role = fields.find(([, f]) => f.kind === "role")?.[0] ?? null;
  if (emails.length !== 1 || !emails[0]) throw new Error(`${name}: needs one emails field`);
  return { emails: emails[0], role };
}

for (const name of NEW_USER_VERB_NAMES) {
  const def = newUserDefinition(name);
  const to = def.rule.to;
  if (def.subject !== "new-users" || def.rule.from.length > 0 || to === null) {
    throw new Error(`${name}: a new-users verb starts from nothing and leads to a status`);
  }
  if (to === "same" || to === "previous" || def.rule.needsTransfer || def.writes || def.expires) {
    throw new Error(`${name}: a new-users verb leads to one status and writes nothing else`);
  }
  newUserFields(name);
}

export type Verb = keyof typeof VERBS;
export type Definitions = typeof VERBS;

export const VERB_NAMES = Object.keys(VERBS) as [Verb, ...Verb[]];

export function isVerb(name: string): name is Verb {
  return Object.hasOwn(VERBS, name);
}

export function definition(action: Verb): VerbDefinition {
  return VERBS[action] as unknown as VerbDefinition;
}

/** Why `action` skipped a user, in the words the UI shows: "unchanged" names the verb's value. */
export function skipReason(action: Verb, code: SkipCode): string {
  return (code === "unchanged" && definition(action).wording.unchanged) || SKIP_REASONS[code];
}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (
  x: infer I,
) => void
  ? I
  : never;

/** Options of one action, as its fields stand for them. */
export type OptionsOf<A extends Verb> = OptionsOfFields<Definitions[A]["fields"]>;

/** Any action's options: what the pipeline passes around, each key as its own action types it. */
export type VerbOptions = Partial<
  UnionToIntersection<Exclude<OptionsOf<Verb>, Record<string, never>>>
>;

/** What runs when an action's change ends by itself (`expires`): its `run`, else its inverse. */
export function expiryRun(action: Verb): Verb | null {
  const run = definition(action).expires?.run;
  if (run === undefined) return inverseOf(action);
  if (!isVerb(run)) throw new Error(`${action}: unknown expiry verb "${run}"`);
  return run;
}

/** The inverse of an action, checked against the registry when this module loads. */
export function inverseOf(action: Verb): Verb | null {
  const inverse = VERBS[action].rule.inverse;
  if (inverse === null) return null;
  if (!isVerb(inverse)) throw new Error(`${action}: unknown inverse "${inverse}"`);
  return inverse;
}

for (const action of VERB_NAMES) {
  inverseOf(action);
  expiryRun(action);
  if (definition(action).subject === "new-users")
    throw new Error(`${action}: not a selection verb`);
}

/** The kinds of option a column can be written from, and so the column's type. */
export type ColumnKind = "date" | "datetime" | "role";

/** A column of `users` some verb writes, and the status it belongs to (null: a plain write). */
export type WrittenColumn = { column: string; kind: ColumnKind; heldBy: UserStatus | null };

/**
 * The columns a verb writes without a status change (column → option): the change itself (change
 * role), which leaves alone a user who already holds what it writes.
 */
export function plainWrites(action: Verb): [column: string, option: string][] {
  const def = definition(action);
  return def.rule.to === "same" ? Object.entries(def.writes ?? {}) : [];
}

/** Every column the verbs write (db/schema.ts declares them; a migration adds new ones). */
export function writtenColumns(): WrittenColumn[] {
  const out = new Map<string, WrittenColumn>();
  for (const name of VERB_NAMES) {
    const def = definition(name);
    for (const [column, option] of Object.entries(def.writes ?? {})) {
      const kind = def.fields[option]?.kind;
      if (kind !== "date" && kind !== "datetime" && kind !== "role") {
        throw new Error(`${name} writes ${column} from ${option}, which is no date, time or role`);
      }
      const to = def.rule.to;
      const heldBy = to === "same" ? null : to === null || to === "previous" ? undefined : to;
      if (heldBy === undefined)
        throw new Error(`${name} writes ${column} with no status to hold it`);
      // A plain write is the whole change: its audit says the value from and to, and a user who
      // already holds the value is skipped ("unchanged"). The role, and times (an access end
      // date), which are cleared whenever the user's status changes.
      if (heldBy === null && kind === "date") {
        throw new Error(`${name} writes ${column} without a status: only a role or a time is`);
      }
      if (heldBy === null && kind === "role" && column !== "role") {
        throw new Error(`${name} writes ${column} as a role: only the role column is one`);
      }
      const seen = out.get(column);
      if (seen && (seen.kind !== kind || seen.heldBy !== heldBy)) {
        throw new Error(`${column} is written as two different things`);
      }
      out.set(column, { column, kind, heldBy });
    }
    if (def.expires) {
      const written = Object.entries(def.writes ?? {}).some(([, o]) => o === def.expires?.at);
      if (!written || def.fields[def.expires.at]?.kind !== "datetime" || !expiryRun(name)) {
        throw new Error(`${name} expires: its time must be a written datetime, with a verb to run`);
      }
    }
  }
  return [...out.values()];
}

writtenColumns();
