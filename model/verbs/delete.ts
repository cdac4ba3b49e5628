import { defineVerb } from "./define";

const DELETE_CONFIRMATION = "DELETE";
export const DELETE_NOT_CONFIRMED = `Type ${DELETE_CONFIRMATION} to confirm: nothing was deleted.`;

export const deleteVerb = defineVerb({
  name: "delete",
  rule: {
    from: ["pending", "invited", "active", "inactive", "archived", "rejected"],
    to: null,
    permission: "users.delete",
    needsTransfer: true,
    needsSeat: false,
    endsSessions: true,
    inverse: null,
    tone: "deleting",
  },
  fourEyes: true,
  fields: {
    confirm: { kind: "typed", word: DELETE_CONFIRMATION, refusal: DELETE_NOT_CONFIRMED },
  },
  wording: {
    verb: "Delete permanently",
    title: "Permanently delete",
    pending: "Deleting…",
    done: "Deleted",
    past: "Permanently deleted",
    denied: "You don't have permission to permanently delete users.",
    effect:
      "Their account and personal data are erased everywhere. Records they own move to the new owner. This can't be undone.",
    warning:
      "There is no undo: deleted users can't be restored, and the audit log shows them as “Deleted user”.",
  },
});
