import { sql } from "drizzle-orm";
import { z } from "zod";
import { type Db, type Executor, queryRows } from "@/db/client";
import { DEFAULT_REASONS } from "@/model/limits";
import { can, type Person } from "@/model/permissions";
import { reasonListProblem } from "@/model/reasons";
import { ROLE_LABELS, type UserRole } from "@/model/roles";
import { settings } from "./env";
import { formatCount, plural } from "./format";
import { isMailFrom, MAIL_FROM_HINT } from "./mail/from";
import { seatsUsed } from "./users/queries";
import { lockSeats } from "./users/seats";

/*
 * The workspace's own settings, changed on /settings and kept in the database (every app
 * instance reads the same), each starting from its environment variable until someone saves it.
 */

export type WorkspaceSettings = {
  /** Invited + active users allowed at once. Starts as ROSTER_SEATS. */
  seatLimit: number;
  /** The From of every email ("Roster <roster@example.com>"); null = derived from SMTP_URL. */
  mailFrom: string | null;
  /** The reasons a confirmation offers to pick from (free text is always possible). */
  reasons: string[];
  /** Whether a destructive action (DESTRUCTIVE_VERBS) is refused without a reason. */
  reasonRequired: boolean;
  /**
   * Who takes the records of a user the system removes (SCIM's DELETE): a user's id, used only
   * while that user is an active admin or owner; null = none, and such a removal is refused.
   */
  defaultOwnerId: string | null;
  /** What SCIM's DELETE does: archive (restorable) or delete permanently. */
  scimDelete: ScimDelete;
  /** The role of people the identity provider creates; SCIM never grants more. */
  defaultRole: DefaultRole;
  /**
   * Four-eyes delete: a person's Delete permanently becomes a deletion request that another
   * admin or the owner approves (lib/users/deletion-requests.ts). Off by default.
   */
  deleteApproval: boolean;
};

export const SCIM_DELETE_CHOICES = ["archive", "delete"] as const;
export type ScimDelete = (typeof SCIM_DELETE_CHOICES)[number];
export const SCIM_DELETE_LABELS: Record<ScimDelete, string> = {
  archive: "Archive (restorable)",
  delete: "Delete permanently",
};

/** The roles new people may be given by default: never admin or owner. */
export const DEFAULT_ROLE_CHOICES = ["member", "support", "manager"] as const satisfies UserRole[];
type DefaultRole = (typeof DEFAULT_ROLE_CHOICES)[number];

/** Where each setting lives in workspace_meta. */
const KEYS = {
  seatLimit: "seat_limit",
  mailFrom: "mail_from",
  reasons: "reasons",
  reasonRequired: "reason_required",
  defaultOwner: "default_owner",
  scimDelete: "scim_delete",
  defaultRole: "default_role",
  deleteApproval: "delete_approval",
} as const;
/** What an audit event of `change-setting` may name (the "Reasons" form saves two of them). */
export type SettingName = keyof typeof KEYS;

export const SETTING_LABELS: Record<SettingName, string> = {
  seatLimit: "Seat limit",
  mailFrom: "Sender address",
  reasons: "Reasons",
  reasonRequired: "Reason for destructive actions",
  defaultOwner: "Default owner of records",
  scimDelete: "What SCIM's DELETE does",
  defaultRole: "Role of new people from SCIM",
  deleteApproval: "Deletion approval",
};

/** A saved list, read defensively: anything but an array of strings is the default list. */
function savedReasons(raw: string | undefined): string[] {
  if (raw === undefined) return [...DEFAULT_REASONS];
  try {
    const v: unknown = JSON.parse(raw);
    return Array.isArray(v) && v.every((x) => typeof x === "string") ? v : [...DEFAULT_REASONS];
  } catch {
    return [...DEFAULT_REASONS];
  }
}

/** The settings now: saved values, else the environment's starting values. */
export async function workspaceSettings(db: Executor): Promise<WorkspaceSettings> {
  const rows = await queryRows<{ key: string; value: string }>(
    db,
    sql`select key, value from workspace_meta where key in (${sql.join(
      Object.values(KEYS).map((k) => sql`${k}`),
      sql`, `,
    )})`,
  );
  const saved = new Map(rows.map((r) => [r.key, r.value]));
  const seats = Number(saved.get(KEYS.seatLimit));
  const scimDelete = saved.get(KEYS.scimDelete);
  const defaultRole = saved.get(KEYS.defaultRole);
  return {
    seatLimit: Number.isSafeInteger(seats) && seats > 0 ? seats : settings().seats,
    mailFrom: saved.get(KEYS.mailFrom) || settings().mailFrom || null,
    defaultOwnerId: saved.get(KEYS.defaultOwner) || null,
    scimDelete: SCIM_DELETE_CHOICES.find((c) => c === scimDelete) ?? "archive",
    defaultRole: DEFAULT_ROLE_CHOICES.find((r) => r === defaultRole) ?? "member",
    reasons: savedReasons(saved.get(KEYS.reasons)),
    reasonRequired: saved.get(KEYS.reasonRequired) === "1",
    deleteApproval: saved.get(KEYS.deleteApproval) === "1",
  };
}

/** The setting's value as saved and audited: the default owner by id (audits keep no address). */
function savedValue(current: WorkspaceSettings, setting: SettingName): string {
  switch (setting) {
    case "seatLimit":
      return String(current.seatLimit);
    case "mailFrom":
      return current.mailFrom ?? "";
    case "defaultOwner":
      return current.defaultOwnerId ?? "";
    case "scimDelete":
      return current.scimDelete;
    case "defaultRole":
      return current.defaultRole;
    case "reasons":
      return listWords(current.reasons);
    case "reasonRequired":
      return requiredWords(current.reasonRequired);
    case "deleteApproval":
      return approvalWords(current.deleteApproval);
  }
}

export type DefaultOwner = { id: string; name: string; email: string };

/** Who may take records (lib/users/transitions.ts asks the same of every new owner). */
const CAN_OWN = sql`status = 'active' and role in ('owner', 'admin')`;

/** The default owner, if one is set and may still take records (an active admin or owner). */
export async function defaultOwner(db: Executor): Promise<DefaultOwner | null> {
  const { defaultOwnerId } = await workspaceSettings(db);
  if (!defaultOwnerId) return null;
  const [row] = await queryRows<DefaultOwner>(
    db,
    sql`select id, name, email from users where id = ${defaultOwnerId}::uuid and ${CAN_OWN}`,
  );
  return row ?? null;
}

/** The seat limit every seat check uses. */
export async function seatLimit(db: Executor): Promise<number> {
  return (await workspaceSettings(db)).seatLimit;
}

const MAX_SEAT_LIMIT = 10_000_000;

const seatLimitSchema = z.coerce
  .number({ error: "Enter the seat limit as a whole number." })
  .int("Enter the seat limit as a whole number.")
  .min(1, "The seat limit is at least 1.")
  .max(MAX_SEAT_LIMIT, `The seat limit is at most ${formatCount(MAX_SEAT_LIMIT)}.`);

const mailFromSchema = z
  .string({ error: "Enter a sender address." })
  .trim()
  .max(320, "Use a sender address of at most 320 characters.")
  .refine((v) => v === "" || isMailFrom(v), `Enter ${MAIL_FROM_HINT}.`);

/** The "Reasons" form: the list (each trimmed, none empty, none twice) and the requirement. */
const reasonsSchema = z
  .strictObject({
    list: z.array(z.string({ error: "Each reason is a text." }).trim(), {
      error: "Send the reasons as a list of texts.",
    }),
    required: z.boolean({ error: "Say whether a reason is required (true or false)." }),
  })
  .superRefine(({ list }, ctx) => {
    const problem = reasonListProblem(list);
    if (problem) ctx.addIssue({ code: "custom", message: problem, path: ["list"] });
  });

const defaultOwnerSchema = z
  .string({ error: "Enter the email of an active admin or owner, or leave it empty." })
  .trim()
  .max(320, "Enter the email of an active admin or owner, or leave it empty.");

export const settingChangeSchema = z.discriminatedUnion(
  "setting",
  [
    z.strictObject({ setting: z.literal("seatLimit"), value: seatLimitSchema }),
    z.strictObject({ setting: z.literal("mailFrom"), value: mailFromSchema }),
    z.strictObject({ setting: z.literal("reasons"), value: reasonsSchema }),
    z.strictObject({ setting: z.literal("defaultOwner"), value: defaultOwnerSchema }),
    z.strictObject({
      setting: z.literal("scimDelete"),
      value: z.enum(SCIM_DELETE_CHOICES, { error: 'Choose "archive" or "delete".' }),
    }),
    z.strictObject({
      setting: z.literal("deleteApproval"),
      value: z.boolean({ error: "Say whether a second admin must approve (true or false)." }),
    }),
    z.strictObject({
      setting: z.literal("defaultRole"),
      value: z.enum(DEFAULT_ROLE_CHOICES, {
        error: `Choose one of: ${DEFAULT_ROLE_CHOICES.map((r) => ROLE_LABELS[r]).join(", ")}.`,
      }),
    }),
  ],
  {
    error: `setting is one of: ${["seatLimit", "mailFrom", "reasons", "defaultOwner", "scimDelete", "defaultRole", "deleteApproval"].join(", ")}`,
  },
);
export type SettingChange = z.output<typeof settingChangeSchema>;

export type SettingResult =
  | { ok: true; setting: SettingName; value: string; changed: boolean }
  | { ok: false; error: string };

/** A list as the audit log shows it. */
function listWords(list: readonly string[]): string {
  return list.length ? list.join(" · ") : "(none)";
}

const requiredWords = (required: boolean) => (required ? "Required" : "Optional");

/** Four-eyes delete as the audit log shows it. */
const approvalWords = (on: boolean) =>
  on ? "On: permanent delete needs a second admin's approval" : "Off";

export const SETTING_REFUSALS = {
  seatLimitOwner: "Only the workspace owner can change the seat limit.",
  noSecondAdmin:
    "Nobody could approve deletions: a second admin needs another active admin or owner. Invite or promote one first.",
  denied: "You don't have permission to change the workspace's settings.",
};

/** Who may save a setting: settings.manage, and the seat limit is the owner's alone. */
export function settingRefusal(actor: Person, setting: SettingName): string | null {
  if (!can(actor.role, "settings.manage")) return SETTING_REFUSALS.denied;
  if (setting === "seatLimit" && actor.role !== "owner") return SETTING_REFUSALS.seatLimitOwner;
  return null;
}

/**
 * Saves one setting and audits it, in one transaction: the event names the setting and its
 * values before and after. A seat limit below the seats in use is refused (the seat lock holds
 * the count still meanwhile). Saving the value it already has changes and audits nothing.
 */
export async function changeSetting(
  db: Db,
  args: { actor: Person; change: SettingChange; requestId: string; now?: Date },
): Promise<SettingResult> {
  const { actor, change } = args;
  const refusal = settingRefusal(actor, change.setting);
  if (refusal) return { ok: false, error: refusal };
  return db.transaction(async (tx) => {
    // The actor's rights as the database has them now, not as their session remembers.
    const [me] = await queryRows<{ role: Person["role"]; status: string }>(
      tx,
      sql`select role, status from users where id = ${actor.id}::uuid for share`,
    );
    const current =
      me?.status === "active"
        ? settingRefusal({ ...actor, role: me.role }, change.setting)
        : SETTING_REFUSALS.denied;
    if (current) return { ok: false, error: current };
    const before = await workspaceSettings(tx);
    const at = (args.now ?? new Date()).toISOString();
    const audit = (name: SettingName, from: string, to: string) =>
      tx.execute(sql`
        insert into audit_events (at, actor_id, action, request_id, records_moved)
        values (${at}::timestamptz, ${actor.id}::uuid, 'change-setting', ${args.requestId},
          ${JSON.stringify({ setting: { name, from, to } })}::jsonb)`);
    const save = (key: string, value: string) =>
      tx.execute(sql`
        insert into workspace_meta (key, value) values (${key}, ${value})
        on conflict (key) do update set value = excluded.value`);
    if (change.setting === "reasons") {
      const { list, required } = change.value;
      const listChanged = JSON.stringify(list) !== JSON.stringify(before.reasons);
      const requiredChanged = required !== before.reasonRequired;
      // Each part that changed is its own event: "Reasons: A · B → A · B · C".
      if (listChanged) {
        await save(KEYS.reasons, JSON.stringify(list));
        await audit("reasons", listWords(before.reasons), listWords(list));
      }
      if (requiredChanged) {
        await save(KEYS.reasonRequired, required ? "1" : "0");
        await audit(
          "reasonRequired",
          requiredWords(before.reasonRequired),
          requiredWords(required),
        );
      }
      return {
        ok: true,
        setting: "reasons",
        value: listWords(list),
        changed: listChanged || requiredChanged,
      };
    }
    if (change.setting === "deleteApproval") {
      const on = change.value;
      if (on === before.deleteApproval) {
        return { ok: true, setting: change.setting, value: approvalWords(on), changed: false };
      }
      // On needs someone besides the requester to approve: at least two active admins or owners.
      const [admins] = await queryRows<{ n: number }>(
        tx,
        sql`select count(*)::int as n from users where ${CAN_OWN}`,
      );
      if (on && Number(admins?.n ?? 0) < 2)
        return { ok: false, error: SETTING_REFUSALS.noSecondAdmin };
      await save(KEYS.deleteApproval, on ? "1" : "0");
      await audit("deleteApproval", approvalWords(before.deleteApproval), approvalWords(on));
      return { ok: true, setting: change.setting, value: approvalWords(on), changed: true };
    }
    let value = String(change.value);
    if (change.setting === "defaultOwner" && value !== "") {
      // Saved as the user's id: the setting follows them if their address changes.
      const [owner] = await queryRows<{ id: string }>(
        tx,
        sql`select id from users where lower(email) = lower(${value}) and ${CAN_OWN}`,
      );
      if (!owner) {
        return {
          ok: false,
          error: `No active admin or owner has the email ${value}. Records go only to one of them: enter such an email, or leave it empty for none.`,
        };
      }
      value = owner.id;
    }
    if (change.setting === "seatLimit") {
      await lockSeats(tx);
      const used = await seatsUsed(tx);
      if (change.value < used) {
        return {
          ok: false,
          error: `${plural(used, "seat")} ${used === 1 ? "is" : "are"} in use (invited and active users). Choose at least ${formatCount(used)}, or free seats first.`,
        };
      }
    }
    const previous = savedValue(before, change.setting);
    if (previous === value) return { ok: true, setting: change.setting, value, changed: false };
    await save(KEYS[change.setting], value);
    await audit(change.setting, previous, value);
    return { ok: true, setting: change.setting, value, changed: true };
  });
}
