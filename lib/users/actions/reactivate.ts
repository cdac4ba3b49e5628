import { defineAction } from "./define";

export const reactivate = defineAction({
  action: "reactivate",
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
  fields: {},
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
