import { deactivate } from "./deactivate";
import { defineVerb } from "./define";

export const scheduleDeactivation = defineVerb({
  name: "scheduleDeactivation",
  rule: {
    // Whoever deactivate takes, under its permission: at the time, deactivate itself runs.
    from: deactivate.rule.from,
    to: "same",
    permission: deactivate.rule.permission,
    needsTransfer: false,
    needsSeat: false,
    // Nothing changes now; the session is refused from the end time on (lib/access-end.ts).
    endsSessions: false,
    // Its own inverse is itself with the field cleared (or the former time): no Undo.
    inverse: null,
    tone: "taking",
  },
  fields: {
    endsAt: {
      kind: "datetime",
      label: () => "Access ends on",
      required: true,
      // Empty clears a date set before.
      clearable: true,
      refine: (at, { now }) =>
        new Date(at) > now ? null : "Choose a time in the future: that one has already passed.",
    },
  },
  writes: { access_ends_at: "endsAt" },
  expires: { at: "endsAt", by: "Policy: access end date", run: "deactivate" },
  wording: {
    verb: "Schedule deactivation…",
    title: "Schedule deactivation of",
    pending: "Scheduling…",
    done: "Given a new access end date:",
    past: "Access end date changed",
    unchanged: "Already has that access end date.",
    denied: "You don't have permission to deactivate users.",
    effect:
      "Nothing changes now. From the time you choose they can't sign in, and they are deactivated then by themselves. Leave the field empty to clear a date set before.",
  },
});
