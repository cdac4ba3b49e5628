import { deactivate } from "./deactivate";
import { defineVerb } from "./define";

export const suspend = defineVerb({
  name: "suspend",
  // A timed deactivate: the same move, rule for rule; it differs by its time and its end.
  rule: deactivate.rule,
  fields: {
    until: {
      kind: "datetime",
      label: (who) => `Suspend ${who} until`,
      required: true,
      refine: (until, { now }) => (new Date(until) > now ? null : "Choose a time in the future."),
    },
  },
  writes: { suspended_until: "until" },
  expires: { at: "until", by: "Policy: suspension ends" },
  wording: {
    verb: "Suspend until…",
    title: "Suspend",
    pending: "Suspending…",
    done: "Suspended",
    past: "Suspended",
    denied: "You don't have permission to suspend users.",
    effect:
      "They can't sign in until the time you choose; then they are active again by themselves. This frees a seat meanwhile.",
  },
});
