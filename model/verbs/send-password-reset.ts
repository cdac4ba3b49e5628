import { defineVerb } from "./define";

export const sendPasswordReset = defineVerb({
  name: "sendPasswordReset",
  rule: {
    from: ["active"],
    to: "same",
    permission: "users.reset-password",
    needsTransfer: false,
    needsSeat: false,
    endsSessions: false,
    inverse: null,
    tone: "gentle",
  },
  fields: {},
  wording: {
    verb: "Send password reset",
    title: "Send a password reset to",
    pending: "Sending reset links…",
    done: "Emailed a reset link:",
    past: "Password reset sent",
    denied: "You don't have permission to send password resets.",
    effect:
      "They get an email with a single-use link that expires in 1 hour; using it sets a new password and signs them out everywhere else. Their current password works until then.",
  },
  hooks: {
    afterStatus: async ({ changes, effects }) => {
      await effects.sendPasswordLinks(
        changes.map((c) => c.id),
        "reset",
      );
    },
  },
});
