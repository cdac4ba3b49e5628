import { defineVerb, NOTIFY_FIELD } from "./define";

export const reactivate = defineVerb({
  name: "reactivate",
  rule: {
    from: ["inactive"],
    to: "active",
    permission: "users.reactivate",
    needsTransfer: false,
    needsSeat: true,
    endsSessions: false,
    inverse: "deactivate",
    tone: "gentle",
  },
  // Off by default (seed 001: "The contact won't be notified").
  fields: { notify: NOTIFY_FIELD },
  notice: { kind: "reactivated" },
  wording: {
    verb: "Reactivate",
    title: "Reactivate",
    pending: "Reactivating…",
    done: "Reactivated",
    past: "Reactivated",
    denied: "You don't have permission to reactivate users.",
    effect: "They can sign in again with their existing account. This uses a seat.",
  },
});
