import { rolesBelow } from "../permissions";
import { defineVerb } from "./define";

export const invite = defineVerb({
  name: "invite",
  subject: "new-users",
  rule: {
    from: [],
    to: "invited",
    permission: "users.invite",
    needsTransfer: false,
    needsSeat: true,
    endsSessions: false,
    inverse: null,
    tone: "gentle",
  },
  fields: {
    emails: { kind: "emails", label: () => "Email addresses", required: true },
    role: {
      kind: "role",
      label: () => "Role",
      required: true,
      // Nobody makes someone their equal or better; the system never makes an owner.
      refine: (role, { actor }) =>
        role === "owner" || ("role" in actor && !rolesBelow(actor.role).includes(role))
          ? "Choose a role below your own."
          : null,
    },
  },
  wording: {
    verb: "Invite",
    title: "Invite people",
    pending: "Inviting…",
    done: "Invited",
    past: "Invited",
    denied: "You don't have permission to invite people.",
    effect:
      "Each gets an email with a single-use link that expires in 7 days; accepting it makes them active. Each holds a seat from now on.",
  },
  hooks: {
    afterStatus: async ({ changes, effects }) => {
      await effects.createInvitations(changes.map((c) => c.id));
    },
  },
});
