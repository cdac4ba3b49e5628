import { defineVerb, NOTIFY_FIELD } from "./define";

export const deactivate = defineVerb({
  name: "deactivate",
  rule: {
    from: ["invited", "active"],
    to: "inactive",
    permission: "users.deactivate",
    needsTransfer: false,
    needsSeat: false,
    endsSessions: true,
    inverse: "reactivate",
    tone: "taking",
  },
  fields: { notify: NOTIFY_FIELD },
  notice: { kind: "deactivated" },
  wording: {
    verb: "Deactivate",
    title: "Deactivate",
    pending: "Deactivating…",
    done: "Deactivated",
    past: "Deactivated",
    denied: "You don't have permission to deactivate users.",
    effect: "They can't sign in; their data is kept; they can be reactivated. This frees a seat.",
  },
});
