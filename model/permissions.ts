import { USER_ROLES, type UserRole } from "./roles";

const PERMISSIONS = [
  "console.access",
  "users.view",
  "users.export",
  "users.deactivate",
  "users.reactivate",
  "users.invite",
  "users.reset-password",
  "users.archive",
  "users.restore",
  "users.approve",
  "users.change-role",
  "users.delete",
  "audit.view",
  "mailbox.view",
  "settings.manage",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ALL: readonly Permission[] = PERMISSIONS;
const READ: readonly Permission[] = ["console.access", "users.view", "audit.view"];

/** Who may do what (docs/lifecycle.md, "Who may do what"). Members have no console. */
export const ROLE_PERMISSIONS: Record<UserRole, readonly Permission[]> = {
  owner: ALL,
  admin: ALL,
  manager: [...READ, "users.export", "users.approve"],
  support: [...READ, "users.restore", "users.reactivate", "users.invite", "users.reset-password"],
  member: [],
};

export function can(role: UserRole, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/** Higher is stronger: owner 4 … member 0. */
export function rank(role: UserRole): number {
  return USER_ROLES.length - 1 - USER_ROLES.indexOf(role);
}

export type Person = { id: string; role: UserRole };

/**
 * The system acting on its own (a policy's run, a directory sync): no one's id, its name in the
 * audit. It may run any verb, on anyone but the owner.
 */
export type SystemPerson = { system: `${"Policy" | "SCIM"}: ${string}` };

/** Who runs a verb: a signed-in person, or the system. */
export type Doer = Person | SystemPerson;

export function isSystem(doer: Doer): doer is SystemPerson {
  return "system" in doer;
}

/** Whether this doer holds the permission (the system holds every one). */
export function may(doer: Doer, permission: Permission): boolean {
  return isSystem(doer) || can(doer.role, permission);
}

export type RankRefusal = "self" | "owner" | "rank";

/**
 * The rank rules that hold for every flow: nobody acts on themselves, nobody acts on the owner,
 * and an actor acts only on users who rank below them (the owner ranks above admins anyway).
 * The system outranks everyone but the owner.
 */
export function rankRefusal(actor: Doer, target: Person): RankRefusal | null {
  if (!isSystem(actor) && actor.id === target.id) return "self";
  if (target.role === "owner") return "owner";
  if (isSystem(actor)) return null;
  if (rank(target.role) >= rank(actor.role)) return "rank";
  return null;
}

/**
 * The roles someone may give (invite, change role), highest first: strictly below their own,
 * and never owner (ownership moves only by "Transfer workspace ownership").
 */
export function rolesBelow(role: UserRole): UserRole[] {
  return USER_ROLES.filter((r) => r !== "owner" && rank(r) < rank(role));
}
