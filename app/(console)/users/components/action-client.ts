import type { ActionInput, ActionResult } from "@/lib/users/action-types";
import type { LifecycleAction } from "@/lib/users/lifecycle";
import {
  approveUsers,
  archiveUsers,
  deactivateUsers,
  deleteUsers,
  reactivateUsers,
  reinviteUsers,
  rejectUsers,
  restoreUsers,
} from "../actions";

/** The server action behind each lifecycle action: one verb each, never a toggle. */
export const RUN_ACTION: Record<LifecycleAction, (input: ActionInput) => Promise<ActionResult>> = {
  deactivate: deactivateUsers,
  reactivate: reactivateUsers,
  reinvite: reinviteUsers,
  archive: archiveUsers,
  restore: restoreUsers,
  approve: approveUsers,
  reject: rejectUsers,
  delete: deleteUsers,
};

export { previewAction, searchNewOwners } from "../actions";
