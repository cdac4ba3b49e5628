import type { UserRole, UserStatus } from "@/db/schema";
import { UserActions } from "../components/user-actions";

/** The row actions menu of the users table, for this one user (console flows helper's). */
export function UserActionsSlot(props: {
  actor: { id: string; role: UserRole };
  user: { id: string; name: string; role: UserRole; status: UserStatus };
}) {
  return <UserActions {...props} />;
}
