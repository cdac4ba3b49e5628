import { USER_ROLES, type UserRole } from "@/lib/constants";

const PERMISSIONS = [
  "console.access",
  "users.view",
  "users.export",
  "users.deactivate",
  "users.reactivate",
  "users.invite",
  "users.archive",
  "users.restore",
  "users.approve",
  "users.delete",
  "audit.view",
  "mailbox.view",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ALL: readonly Permission[] = PERMISSIONS;
const READ: readonly Permission[] = ["console.access", "users.view", "audit.view"];

/** Who may do what (SPEC.md, "Who sees what"). Members have no console. */
export const ROLE_PERMISSIONS: Record<UserRole, readonly Permission[]> = {
  owner: ALL,
  admin: ALL,
  manager: [...READ, "users.export", "users.approve"],
  support: [...READ, "users.restore", "users.reactivate", "users.invite"],
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

export type RankRefusal = "self" | "owner" | "rank";

/**
 * The rank rules that hold for every flow: nobody acts on themselves, nobody acts on the owner,
 * and an actor acts only on users who rank below them (the owner ranks above admins anyway).
 */
export function rankRefusal(actor: Person, target: Person): RankRefusal | null {
  if (actor.id === target.id) return "self";
  if (target.role === "owner") return "owner";
  if (rank(target.role) >= rank(actor.role)) return "rank";
  return null;
}
