import type { UserRole, UserStatus } from "@/db/schema";

/**
 * SLOT: the row actions menu of the users table, for this one user. The console flows helper
 * exports that component from app/(console)/users/components/; until it lands this renders
 * nothing, and the page stays read-only.
 */
export function UserActionsSlot(_props: {
  actor: { id: string; role: UserRole };
  user: { id: string; name: string; role: UserRole; status: UserStatus };
}) {
  return null;
}
