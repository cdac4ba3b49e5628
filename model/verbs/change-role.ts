import { rolesBelow } from "../permissions";
import { defineVerb } from "./define";

export const changeRole = defineVerb({
  name: "changeRole",
  rule: {
    // Whoever is, or can be again without a new request, a member of the workspace: a request
    // (pending, rejected) is approved or rejected as it was made, and the archived are frozen.
    from: ["invited", "active", "inactive"],
    to: "same",
    permission: "users.change-role",
    needsTransfer: false,
    needsSeat: false,
    // The session re-reads the role at every request: the new one applies at the next.
    endsSessions: false,
    // Its inverse is a change back to each one's own previous role: one option per user, which
    // an Undo (one verb, one set of options for everyone) can't say. The audit keeps the roles.
    inverse: null,
    tone: "gentle",
  },
  fields: {
    role: {
      kind: "role",
      label: () => "New role",
      required: true,
      refine: (role, { actor }) => {
        if (role === "owner") {
          return "The owner role moves only by Transfer workspace ownership.";
        }
        if ("system" in actor || rolesBelow(actor.role).includes(role)) return null;
        return "Choose a role below your own.";
      },
    },
  },
  writes: { role: "role" },
  wording: {
    verb: "Change role",
    title: "Change the role of",
    pending: "Changing roles…",
    done: "Given a new role:",
    past: "Role changed",
    unchanged: "Already has that role.",
    denied: "You don't have permission to change roles.",
    effect:
      "The new role applies at their next request: what they may see and do in the console changes with it. Their status, records and sessions stay as they are.",
  },
});
