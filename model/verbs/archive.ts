import { defineVerb, NOTIFY_FIELD } from "./define";

export const archive = defineVerb({
  name: "archive",
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
  // Told once, as it happens (templates.ts "archived"); an archived user gets nothing after it.
  fields: { notify: NOTIFY_FIELD },
  notice: { kind: "archived" },
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
