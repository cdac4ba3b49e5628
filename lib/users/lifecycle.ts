import type { UserStatus } from "@/db/schema";
import type { Permission } from "./permissions";

export const LIFECYCLE_ACTIONS = [
  "deactivate",
  "reactivate",
  "reinvite",
  "archive",
  "restore",
  "approve",
  "reject",
  "delete",
] as const;
export type LifecycleAction = (typeof LIFECYCLE_ACTIONS)[number];

export type ActionRule = {
  /** The verb people see, on menus, bulk buttons and confirm buttons. */
  verb: string;
  from: readonly UserStatus[];
  /** The status it leads to; "previous" = the one stored when archived; null = row removed; "same" = unchanged. */
  to: UserStatus | "previous" | "same" | null;
  permission: Permission;
  needsTransfer: boolean;
  needsSeat: boolean;
  endsSessions: boolean;
  /** What happens, in the words the confirmation dialog uses. */
  effect: string;
  /** The action that undoes it, where one exists. */
  inverse: LifecycleAction | null;
  destructive: boolean;
};

/** The one lifecycle table (SPEC.md, Flows). The server guard and the UI both ask it. */
export const LIFECYCLE: Record<LifecycleAction, ActionRule> = {
  deactivate: {
    verb: "Deactivate",
    from: ["invited", "active"],
    to: "inactive",
    permission: "users.deactivate",
    needsTransfer: false,
    needsSeat: false,
    endsSessions: true,
    effect: "They can't sign in; their data is kept; they can be reactivated. This frees a seat.",
    inverse: "reactivate",
    destructive: true,
  },
  reactivate: {
    verb: "Reactivate",
    from: ["inactive"],
    to: "active",
    permission: "users.reactivate",
    needsTransfer: false,
    needsSeat: true,
    endsSessions: false,
    effect: "They can sign in again with their existing account. This uses a seat.",
    inverse: "deactivate",
    destructive: false,
  },
  reinvite: {
    verb: "Re-invite",
    from: ["inactive", "invited"],
    to: "same",
    permission: "users.invite",
    needsTransfer: false,
    needsSeat: false,
    endsSessions: false,
    effect:
      "They get an email with a single-use link that expires in 7 days; accepting it makes them active.",
    inverse: null,
    destructive: false,
  },
  archive: {
    verb: "Archive",
    from: ["invited", "active", "inactive", "pending"],
    to: "archived",
    permission: "users.archive",
    needsTransfer: true,
    needsSeat: false,
    endsSessions: true,
    effect:
      "They can't sign in and disappear from every list but Archived; their data is kept; they can be restored to the status they had.",
    inverse: "restore",
    destructive: true,
  },
  restore: {
    verb: "Restore",
    from: ["archived"],
    to: "previous",
    permission: "users.restore",
    needsTransfer: false,
    needsSeat: true,
    endsSessions: false,
    effect: "They return to the status they had before they were archived.",
    inverse: "archive",
    destructive: false,
  },
  approve: {
    verb: "Approve",
    from: ["pending", "rejected"],
    to: "active",
    permission: "users.approve",
    needsTransfer: false,
    needsSeat: true,
    endsSessions: false,
    effect: "They become active members of the workspace and can sign in. This uses a seat.",
    inverse: null,
    destructive: false,
  },
  reject: {
    verb: "Reject",
    from: ["pending"],
    to: "rejected",
    permission: "users.approve",
    needsTransfer: false,
    needsSeat: false,
    endsSessions: true,
    effect: "Their request is declined; the record is kept and can be approved later.",
    inverse: "approve",
    destructive: true,
  },
  delete: {
    verb: "Delete permanently",
    from: ["pending", "invited", "active", "inactive", "archived", "rejected"],
    to: null,
    permission: "users.delete",
    needsTransfer: true,
    needsSeat: false,
    endsSessions: true,
    effect:
      "Their account and personal data are erased everywhere. Records they own move to the new owner. This can't be undone.",
    inverse: null,
    destructive: true,
  },
};

/** Statuses that occupy a seat. */
export const SEAT_STATUSES: readonly UserStatus[] = ["invited", "active"];

/** The status a target ends in, or null when the row is removed. */
export function targetStatus(
  action: LifecycleAction,
  current: UserStatus,
  previous: UserStatus | null,
  options: { sendInvitation?: boolean } = {},
): UserStatus | null {
  const to = LIFECYCLE[action].to;
  if (to === null) return null;
  if (to === "same") return current;
  if (to === "previous") {
    if (options.sendInvitation) return "invited";
    // Archived before we remembered where from: bring them back inactive, the safe choice.
    return previous && previous !== "archived" ? previous : "inactive";
  }
  return to;
}
