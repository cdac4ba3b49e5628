import { defineVerb } from "./define";

export const reject = defineVerb({
  name: "reject",
  rule: {
    from: ["pending"],
    to: "rejected",
    permission: "users.approve",
    needsTransfer: false,
    needsSeat: false,
    endsSessions: true,
    inverse: "approve",
    tone: "taking",
  },
  fields: {},
  wording: {
    verb: "Reject",
    title: "Reject",
    pending: "Rejecting…",
    done: "Rejected",
    past: "Rejected",
    denied: "You don't have permission to reject users.",
    effect:
      "Their request is declined and they get an email saying so; the record is kept and can be approved later.",
  },
  hooks: {
    afterStatus: async ({ changes, effects }) => {
      await effects.queueRejections(changes.map((c) => c.id));
    },
  },
});
