import { defineAction } from "./define";

export const archive = defineAction({
  action: "archive",
  rule: {
    from: ["invited", "active", "inactive", "pending"],
    to: "archived",
    permission: "users.archive",
    needsTransfer: true,
    needsSeat: false,
    endsSessions: true,
    inverse: "restore",
    tone: "taking",
  },
  fields: {},
  wording: {
    verb: "Archive",
    title: "Archive",
    pending: "Archiving…",
    done: "Archived",
    past: "Archived",
    denied: "You don't have permission to archive users.",
    effect:
      "They can't sign in and disappear from every list but Archived; their data is kept; they can be restored to the status they had.",
  },
});
