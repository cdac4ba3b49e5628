import { type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { UserRole } from "../model/roles";
import type { UserStatus } from "../model/statuses";

/**
 * Who may take over the records of users who leave: an active admin or the workspace owner. The
 * rule in TypeScript and in SQL, side by side (lib/users/refusals.ts says it in words).
 */
const ELIGIBLE_OWNER_ROLES = ["owner", "admin"] as const satisfies readonly UserRole[];

export function isEligibleOwner(user: { role: UserRole; status: UserStatus } | null): boolean {
  return (
    user?.status === "active" && (ELIGIBLE_OWNER_ROLES as readonly UserRole[]).includes(user.role)
  );
}

/** The same rule over a row's columns (or column names), for a WHERE or a partial index. */
export function eligibleOwnerSql(status: AnyPgColumn | SQL, role: AnyPgColumn | SQL): SQL {
  const roles = sql.raw(ELIGIBLE_OWNER_ROLES.map((r) => `'${r}'`).join(", "));
  return sql`${status} = 'active' and ${role} in (${roles})`;
}
