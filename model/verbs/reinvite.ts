import { defineVerb } from "./define";

export const reinvite = defineVerb({
  name: "reinvite",
  rule: {
    from: ["inactive", "invited"],
    to: "same",
    permission: "users.invite",
    needsTransfer: false,
    needsSeat: false,
    endsSessions: false,
    inverse: null,
    tone: "gentle",
  },
  fields: {},
  wording: {
    verb: "Re-invite",
    title: "Re-invite",
    pending: "Sending invitations…",
    done: "Re-invited",
    past: "Re-invited",
    denied: "You don't have permission to re-invite users.",
    effect:
      "They get an email with a single-use link that expires in 7 days; accepting it makes them active.",
  },
  hooks: {
    afterStatus: async ({ changes, effects }) => {
      await effects.createInvitations(changes.map((c) => c.id));
    },
  },
});
