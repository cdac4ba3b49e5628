import { defineVerb, NOTIFY_FIELD } from "./define";

export const restore = defineVerb({
  name: "restore",
  rule: {
    from: ["archived"],
    to: "previous",
    permission: "users.restore",
    needsTransfer: false,
    needsSeat: true,
    endsSessions: false,
    inverse: "archive",
    tone: "gentle",
  },
  fields: {
    sendInvitation: { kind: "checkbox", label: () => "Send a new invitation instead" },
    notify: NOTIFY_FIELD,
  },
  // An invitation says everything a notice would: no second email.
  notice: { kind: "restored", unless: "sendInvitation" },
  target: (options) => (options.sendInvitation ? "invited" : undefined),
  wording: {
    verb: "Restore",
    title: "Restore",
    pending: "Restoring…",
    done: "Restored",
    past: "Restored",
    denied: "You don't have permission to restore users.",
    effect: "They return to the status they had before they were archived.",
  },
  hooks: {
    afterStatus: async ({ changes, options, effects }) => {
      if (options.sendInvitation) await effects.createInvitations(changes.map((c) => c.id));
    },
  },
});
