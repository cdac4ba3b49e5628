import { defineAction } from "./define";

export const deactivate = defineAction({
  action: "deactivate",
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
  fields: { notify: { kind: "checkbox", label: (who) => `Notify ${who} by email` } },
  wording: {
    verb: "Deactivate",
    title: "Deactivate",
    pending: "Deactivating…",
    done: "Deactivated",
    past: "Deactivated",
    denied: "You don't have permission to deactivate users.",
    effect: "They can't sign in; their data is kept; they can be reactivated. This frees a seat.",
  },
  hooks: {
    afterStatus: async ({ changes, options, effects }) => {
      if (options.notify) {
        await effects.queueNotices(
          changes.map((c) => c.id),
          "deactivated",
        );
      }
    },
  },
});
