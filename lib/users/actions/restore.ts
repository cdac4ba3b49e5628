import { defineAction } from "./define";

export const restore = defineAction({
  action: "restore",
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
    notify: { kind: "checkbox", label: (who) => `Notify ${who} by email` },
  },
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
      const ids = changes.map((c) => c.id);
      // An invitation says everything a notice would: no second email.
      if (options.sendInvitation) await effects.createInvitations(ids);
      else if (options.notify) await effects.queueNotices(ids, "restored");
    },
  },
});
