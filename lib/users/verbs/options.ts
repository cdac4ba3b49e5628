import { z } from "zod";
import { calendarDay } from "@/lib/url";
import { PASTE_LIMITS, PASTE_MESSAGES } from "@/model/limits";
import { USER_ROLES } from "@/model/roles";
import type { FieldSpec, RefineContext, VerbDefinition } from "@/model/verbs/define";
import { definition, VERB_NAMES, type Verb } from "@/model/verbs/index";

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z$/;

/** A time given to the minute: the seconds are dropped (a change "until 09:30" ends at 09:30). */
function toMinute(iso: string): string {
  const at = new Date(iso);
  at.setUTCSeconds(0, 0);
  return at.toISOString();
}

/** The value's schema for a field's kind. */
function kindSchema(spec: Exclude<FieldSpec, { kind: "checkbox" | "typed" }>): z.ZodType {
  switch (spec.kind) {
    case "date":
      return z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date written YYYY-MM-DD")
        .refine((d) => calendarDay(d) === d, "That date doesn't exist");
    case "datetime":
      return z
        .string()
        .max(30)
        .regex(ISO_UTC, "Use a time written YYYY-MM-DDTHH:MMZ")
        .refine((t) => !Number.isNaN(new Date(t).getTime()), "That time doesn't exist")
        .transform(toMinute);
    case "role":
      return z.enum(USER_ROLES, { error: "Choose a role" });
    case "emails":
      // The text as pasted: lib/users/address-list.ts reads it (and checks its size in bytes).
      return z
        .string({ error: "Paste the email addresses" })
        .max(PASTE_LIMITS.bytes, PASTE_MESSAGES.tooLong);
  }
}

/**
 * Each verb's options as a strict zod schema, derived on the server from the fields its
 * definition declares (the browser gets the fields, never zod): a checkbox is an optional
 * boolean, a typed confirmation exactly its word, the others their kind's value, optional
 * unless required. Refinements need the request (its time, its actor): see `refineOptions`.
 */
function fieldSchema(spec: FieldSpec): z.ZodType {
  switch (spec.kind) {
    case "checkbox":
      return z.boolean().optional();
    case "typed":
      return z.literal(spec.word, { error: spec.refusal });
    default: {
      const given = kindSchema(spec);
      // A clearable time: null (the empty field) clears it.
      const schema = "clearable" in spec && spec.clearable ? given.nullable() : given;
      return spec.required ? schema : schema.optional();
    }
  }
}

/** The first refinement a verb's parsed options fail, or null when every one passes. */
export function refineOptions(
  def: VerbDefinition,
  options: Record<string, unknown>,
  ctx: RefineContext,
): string | null {
  for (const [key, spec] of Object.entries(def.fields)) {
    const value = options[key];
    if (value === undefined || value === null || !("refine" in spec) || !spec.refine) continue;
    const refusal = (spec.refine as (v: unknown, c: RefineContext) => string | null)(value, ctx);
    if (refusal) return refusal;
  }
  return null;
}

/** The strict schema of any definition's options (the registered ones are built once, below). */
export function optionsSchemaOf(def: VerbDefinition) {
  return z.strictObject(
    Object.fromEntries(Object.entries(def.fields).map(([key, spec]) => [key, fieldSchema(spec)])),
  );
}

const SCHEMAS = Object.fromEntries(
  VERB_NAMES.map((a) => [a, optionsSchemaOf(definition(a))]),
) as unknown as Record<Verb, z.ZodObject<z.ZodRawShape>>;

export function optionsSchema(action: Verb): z.ZodObject<z.ZodRawShape> {
  return SCHEMAS[action];
}
