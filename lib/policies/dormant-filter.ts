import { plural } from "@/lib/format";
import { ROLE_LABELS } from "@/model/roles";

/*
 * What picks the users the dormant-user policy deactivates (lib/policies/dormant.ts), as /users
 * can hold it in its URL: `/users?dormant=250.30.manager` lists who a policy of 250 days without
 * signing in, exempting users reactivated in the last 30 days and leaving out managers, would
 * deactivate now. The settings' preview links there with the settings it previewed (saved or
 * not), so the link keeps its meaning when the policy changes later. No database code here:
 * client code reads it too.
 */

export const MAX_DAYS = 3650;

/** Roles the policy may leave out (it never touches the owner anyway). */
export const EXCLUDABLE_ROLES = ["admin", "manager", "support", "member"] as const;
type ExcludableRole = (typeof EXCLUDABLE_ROLES)[number];

export type DormantFilter = {
  /** Days without signing in. */
  days: number;
  /** Days after a reactivation during which the user is exempt (0: none). */
  exemptDays: number;
  excludeRoles: ExcludableRole[];
};

/** The settings' part that picks users, in one order (so a URL has one spelling). */
export function dormantFilterOf(p: {
  days: number;
  exemptDays: number;
  excludeRoles: readonly string[];
}): DormantFilter {
  return {
    days: p.days,
    exemptDays: p.exemptDays,
    excludeRoles: EXCLUDABLE_ROLES.filter((r) => p.excludeRoles.includes(r)),
  };
}

const wholeDays = (raw: string | undefined, min: number): number | null => {
  if (raw === undefined || !/^\d{1,4}$/.test(raw)) return null;
  const n = Number(raw);
  return n >= min && n <= MAX_DAYS ? n : null;
};

/** `days.exemptDays[.role…]`, e.g. `90.30` or `250.0.admin.manager`; null if it isn't one. */
export function parseDormantFilter(raw: string): DormantFilter | null {
  const [d, e, ...roles] = raw.split(".");
  const days = wholeDays(d, 1);
  const exemptDays = wholeDays(e, 0);
  if (days === null || exemptDays === null) return null;
  if (!roles.every((r) => (EXCLUDABLE_ROLES as readonly string[]).includes(r))) return null;
  return dormantFilterOf({ days, exemptDays, excludeRoles: roles });
}

export function serializeDormantFilter(f: DormantFilter): string {
  const c = dormantFilterOf(f);
  return [String(c.days), String(c.exemptDays), ...c.excludeRoles].join(".");
}

/** The filter in words, for the chip on /users: why the list is narrowed. */
export function describeDormantFilter(f: DormantFilter): string {
  const c = dormantFilterOf(f);
  return [
    `Dormant: no sign-in for ${plural(c.days, "day")}`,
    c.excludeRoles.length
      ? `leaving out ${c.excludeRoles.map((r) => ROLE_LABELS[r]).join(", ")}`
      : null,
    c.exemptDays > 0 ? `reactivated in the last ${plural(c.exemptDays, "day")} exempt` : null,
  ]
    .filter(Boolean)
    .join("; ");
}
