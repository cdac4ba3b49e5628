import { describe, expect, it } from "vitest";
import { USER_STATUSES } from "@/db/schema";
import { ROLE_PERMISSIONS } from "../permissions";
import { filledOptions, selectionOf } from "../test-fixtures";
import { fieldsComplete, initialOptionValues, optionFields, optionsToSend } from "./fields";
import { definition, inverseOf, LIFECYCLE_ACTIONS } from "./index";
import { lifecycleInputSchema, previewInputSchema } from "./input";

const ID = "00000000-0000-4000-8000-000000000001";
const selection = selectionOf([{ id: ID, status: "active" }]);

describe("the action registry", () => {
  it("is SPEC.md's Flows table", () => {
    const table = Object.fromEntries(
      LIFECYCLE_ACTIONS.map((a) => {
        const { rule, wording } = definition(a);
        return [a, [wording.verb, [...rule.from].sort().join(","), rule.to, rule.permission]];
      }),
    );
    expect(table).toEqual({
      deactivate: ["Deactivate", "active,invited", "inactive", "users.deactivate"],
      reactivate: ["Reactivate", "inactive", "active", "users.reactivate"],
      reinvite: ["Re-invite", "inactive,invited", "same", "users.invite"],
      archive: ["Archive", "active,inactive,invited,pending", "archived", "users.archive"],
      restore: ["Restore", "archived", "previous", "users.restore"],
      approve: ["Approve", "pending,rejected", "active", "users.approve"],
      reject: ["Reject", "pending", "rejected", "users.approve"],
      delete: [
        "Delete permanently",
        "active,archived,inactive,invited,pending,rejected",
        null,
        "users.delete",
      ],
    });
  });

  for (const action of LIFECYCLE_ACTIONS) {
    describe(action, () => {
      const def = definition(action);

      it("is complete: known statuses, a role that may run it, an inverse that exists, every word", () => {
        for (const s of def.rule.from) expect(USER_STATUSES).toContain(s);
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

      it("renders its options as fields, and a dialog left as it opens can't confirm a typed one", () => {
        const fields = optionFields(def);
        expect(fields.map((f) => f.key)).toEqual(Object.keys(def.fields));
        const start = initialOptionValues(fields);
        expect(fieldsComplete(fields, start)).toBe(!fields.some((f) => f.kind === "typed"));
        // What the dialog sends once complete is what the server action accepts.
        const filled = Object.fromEntries(
          fields.map((f) => [f.key, f.kind === "typed" ? f.word : f.kind === "checkbox"]),
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
        const others = LIFECYCLE_ACTIONS.flatMap((a) =>
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
