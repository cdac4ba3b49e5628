import { defineVerb } from "./define";

export const approve = defineVerb({
  name: "approve",
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
    effect:
      "They become active members of the workspace and get an email with a link to set their password. This uses a seat.",
  },
  hooks: {
    afterStatus: async ({ changes, effects }) => {
      await effects.sendPasswordLinks(
        changes.map((c) => c.id),
        "approved",
      );
    },
  },
});
