import { describe, expect, it } from "vitest";
import { type Permission, ROLE_PERMISSIONS } from "@/model/permissions";
import {
  INVITABLE_STATUSES,
  SEAT_STATUSES,
  STATUSES,
  TAB_STATUSES,
  USER_STATUSES,
  type UserStatus,
} from "@/model/statuses";
import { defineVerb, type Rule, type VerbDefinition } from "@/model/verbs/define";
import {
  fieldsComplete,
  initialOptionValues,
  optionFields,
  optionsToSend,
} from "@/model/verbs/fields";
import { definition, inverseOf, VERB_NAMES, type Verb } from "@/model/verbs/index";
import { invite } from "@/model/verbs/invite";
import { filledOptions, selectionOf } from "../testing/fixtures";
import { lifecycleInputSchema, previewInputSchema } from "./input";
import { optionsSchemaOf, refineOptions } from "./options";

const ID = "00000000-0000-4000-8000-000000000001";
const selection = selectionOf([{ id: ID, status: "active" }]);

/** The status a verb leads to, when it names one. */
function landsIn(to: Rule["to"]): UserStatus | null {
  return to === null || to === "same" || to === "previous" ? null : to;
}

/**
 * The product's Flows (docs/lifecycle.md), as the facts it states rather than a copy of each definition: who is
 * taken from (in the status registry's terms), where to, and under which permission. A verb's
 * row is its test row; the rules below it hold for every verb.
 */
const FLOWS: Record<Verb, { from: readonly UserStatus[]; to: Rule["to"]; permission: Permission }> =
  {
    // "invited, active": the users who hold a seat.
    deactivate: { from: SEAT_STATUSES, to: "inactive", permission: "users.deactivate" },
    suspend: { from: SEAT_STATUSES, to: "inactive", permission: "users.deactivate" },
    // Who deactivate takes, at a time: nothing moves now.
    scheduleDeactivation: { from: SEAT_STATUSES, to: "same", permission: "users.deactivate" },
    reactivate: { from: ["inactive"], to: "active", permission: "users.reactivate" },
    // Whoever an invitation link may still bring in.
    reinvite: { from: INVITABLE_STATUSES, to: "same", permission: "users.invite" },
    // Only those who may sign in: a link for anyone else would be a way in.
    sendPasswordReset: { from: ["active"], to: "same", permission: "users.reset-password" },
    archive: {
      from: USER_STATUSES.filter((s) => s !== "archived" && s !== "rejected"),
      to: "archived",
      permission: "users.archive",
    },
    restore: { from: ["archived"], to: "previous", permission: "users.restore" },
    approve: {
      from: TAB_STATUSES.pending.concat(TAB_STATUSES.rejected),
      to: "active",
      permission: "users.approve",
    },
    reject: { from: TAB_STATUSES.pending, to: "rejected", permission: "users.approve" },
    // The workspace's people (the Active and Inactive tabs), not requests or the archived.
    changeRole: {
      from: TAB_STATUSES.active.concat(TAB_STATUSES.inactive),
      to: "same",
      permission: "users.change-role",
    },
    // "any but the owner": the owner is the rank rule's, not a status.
    delete: { from: USER_STATUSES, to: null, permission: "users.delete" },
  };

describe("the verb registry", () => {
  it("is the product's Flows table", () => {
    for (const verb of VERB_NAMES) {
      const { rule } = definition(verb);
      const want = FLOWS[verb];
      expect([verb, [...rule.from].sort(), rule.to, rule.permission]).toEqual([
        verb,
        [...want.from].sort(),
        want.to,
        want.permission,
      ]);
    }
  });

  it("keeps the SPEC's rules for every flow: seats, sign-in, undo", () => {
    for (const verb of VERB_NAMES) {
      const { rule } = definition(verb);
      const to = landsIn(rule.to);
      // Seats: a verb that can move a seatless user into a seat-holding status asks for a seat.
      const takesSeat = rule.from.some(
        (s) =>
          !SEAT_STATUSES.includes(s) &&
          (to !== null ? SEAT_STATUSES.includes(to) : rule.to === "previous"),
      );
      expect(rule.needsSeat, `${verb} needs a seat`).toBe(takesSeat);
      // Sign-in: a verb that takes signed-in users where sign-in is refused ends their sessions.
      if (to !== null && STATUSES[to].signIn !== null && rule.from.includes("active")) {
        expect(rule.endsSessions, `${verb} ends sessions`).toBe(true);
      }
      if (rule.to === null) expect(rule.endsSessions).toBe(true);
      // Undo: the inverse takes users back from where this verb left them.
      const inverse = inverseOf(verb);
      if (inverse && to !== null) {
        expect(definition(inverse).rule.from, `${inverse} undoes ${verb}`).toContain(to);
      }
    }
  });

  for (const action of VERB_NAMES) {
    describe(action, () => {
      const def = definition(action);

      it("is complete: known statuses, a role that may run it, an inverse that exists, every word", () => {
        expect(Object.values(ROLE_PERMISSIONS).some((p) => p.includes(def.rule.permission))).toBe(
          true,
        );
        const inverse = inverseOf(action);
        if (inverse) expect(definition(inverse).rule.permission).toBeTruthy();
        for (const [key, text] of Object.entries(def.wording)) {
          expect(text, key).toMatch(/\S/);
        }
        expect(def.wording.denied).toMatch(/^You don't have permission to /);
      });

      it("renders its options as fields, and a dialog left as it opens can't confirm a typed or required one", () => {
        const fields = optionFields(def);
        expect(fields.map((f) => f.key)).toEqual(Object.keys(def.fields));
        const start = initialOptionValues(fields);
        expect(fieldsComplete(fields, start)).toBe(
          !fields.some(
            (f) =>
              f.kind === "typed" ||
              (f.kind !== "checkbox" && f.required && !(f.kind === "datetime" && f.clearable)),
          ),
        );
        // A clearable time left empty is sent as null (it clears), which the server accepts.
        if (fields.some((f) => f.kind === "datetime" && f.clearable)) {
          const cleared = { action, selection, options: optionsToSend(fields, start) };
          expect(Object.values(cleared.options)).toContain(null);
          expect(lifecycleInputSchema.safeParse(cleared).success).toBe(true);
        }
        // What the dialog sends once complete is what the server action accepts.
        const filled = Object.fromEntries(
          fields.map((f) => [
            f.key,
            f.kind === "typed"
              ? f.word
              : f.kind === "checkbox"
                ? true
                : f.kind === "datetime"
                  ? "2099-01-12T09:30"
                  : f.kind === "role"
                    ? "member"
                    : "2099-01-12",
          ]),
        );
        expect(fieldsComplete(fields, filled)).toBe(true);
        const input = { action, selection, options: optionsToSend(fields, filled) };
        expect(lifecycleInputSchema.safeParse(input).success).toBe(true);
        const preview = {
          action,
          selection,
          options: optionsToSend(fields, start, { forPreview: true }),
        };
        expect(previewInputSchema.safeParse(preview).success).toBe(true);
      });

      it("refuses another action's options, missing options, and fields it doesn't take", () => {
        const base = { action, selection, options: filledOptions(action) };
        const others = VERB_NAMES.flatMap((a) =>
          optionFields(definition(a)).map((f) => f.key),
        ).filter((k) => !(k in def.fields));
        for (const key of others) {
          const bad = { ...base, options: { ...base.options, [key]: true } };
          expect(lifecycleInputSchema.safeParse(bad).success, key).toBe(false);
        }
        const { options: _, ...noOptions } = base;
        expect(lifecycleInputSchema.safeParse(noOptions).success).toBe(false);
        const owner = { ...base, newOwnerId: ID };
        expect(lifecycleInputSchema.safeParse(owner).success).toBe(def.rule.needsTransfer);
        const undo = { ...base, undoOf: ID };
        expect(lifecycleInputSchema.safeParse(undo).success).toBe(def.rule.inverse !== null);
      });
    });
  }
});

const WORDS = {
  verb: "Do",
  title: "Do",
  pending: "Doing…",
  done: "Done",
  past: "Done",
  denied: "You don't have permission to do this.",
  effect: "It is done.",
};

describe("the definition format", () => {
  // A verb that creates users (model/verbs/invite.ts), and one the provisioning issue adds,
  // written in today's format: they typecheck, and the server derives their schema and
  // refinements like any other's.
  const changeRole = defineVerb({
    name: "changeRole",
    rule: { ...invite.rule, from: ["active", "invited"], to: "same", needsSeat: false },
    fields: { role: invite.fields.role },
    writes: { role: "role" },
    wording: WORDS,
  });

  it("takes a verb that creates users: its own fields, refined against the actor", () => {
    const schema = optionsSchemaOf(invite as unknown as VerbDefinition);
    // The addresses as pasted: lib/users/address-list.ts reads them, entry by entry.
    const options = { emails: "new@example.test, Ada <ada@example.test>", role: "admin" };
    expect(schema.safeParse(options).success).toBe(true);
    expect(schema.safeParse({ ...options, emails: ["new@example.test"] }).success).toBe(false);
    expect(schema.safeParse({ emails: options.emails }).success).toBe(false);
    const def = invite as unknown as VerbDefinition;
    const now = new Date();
    expect(refineOptions(def, options, { now, actor: { role: "admin" } })).toBe(
      "Choose a role below your own.",
    );
    expect(refineOptions(def, options, { now, actor: { role: "owner" } })).toBeNull();
    expect(refineOptions(def, { role: "owner" }, { now, actor: { system: "SCIM: x" } })).toBe(
      "Choose a role below your own.",
    );
  });

  it("takes a verb that writes a column and moves no status", () => {
    expect(changeRole.rule.to).toBe("same");
    expect(changeRole.writes).toEqual({ role: "role" });
    const schema = optionsSchemaOf(changeRole as unknown as VerbDefinition);
    expect(schema.safeParse({ role: "owner" }).success).toBe(true);
    expect(schema.safeParse({ role: "root" }).success).toBe(false);
  });
});
