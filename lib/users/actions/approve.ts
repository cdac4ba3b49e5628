import { defineAction } from "./define";

export const approve = defineAction({
  action: "approve",
  rule: {
    from: ["pending", "rejected"],
    to: "active",
    permission: "users.approve",
    needsTransfer: false,
    needsSeat: true,
    endsSessions: false,
    inverse: null,
    tone: "gentle",
  },
  fields: {},
  wording: {
    verb: "Approve",
    title: "Approve",
    pending: "Approving…",
    done: "Approved",
    past: "Approved",
    denied: "You don't have permission to approve users.",
    effect: "They become active members of the workspace and can sign in. This uses a seat.",
  },
});
