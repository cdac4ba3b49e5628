import { z } from "zod";
import { calendarDay } from "@/lib/url";
import type { ActionDefinition, FieldSpec } from "./define";
import { definition, LIFECYCLE_ACTIONS, type LifecycleAction } from "./index";

/**
 * Each action's options as a strict zod schema, derived on the server from the fields its
 * definition declares (the browser gets the fields, never zod): a checkbox is an optional
 * boolean, a typed confirmation exactly its word, a date an optional real calendar day.
 */
function fieldSchema(spec: FieldSpec): z.ZodType {
  switch (spec.kind) {
    case "checkbox":
      return z.boolean().optional();
    case "typed":
      return z.literal(spec.word, { error: spec.refusal });
    case "date":
      return z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date written YYYY-MM-DD")
        .refine((d) => calendarDay(d) === d, "That date doesn't exist")
        .optional();
  }
}

function schemaOf(def: ActionDefinition) {
  return z.strictObject(
    Object.fromEntries(Object.entries(def.fields).map(([key, spec]) => [key, fieldSchema(spec)])),
  );
}

const SCHEMAS = Object.fromEntries(
  LIFECYCLE_ACTIONS.map((a) => [a, schemaOf(definition(a))]),
) as unknown as Record<LifecycleAction, z.ZodObject<z.ZodRawShape>>;

export function optionsSchema(action: LifecycleAction): z.ZodObject<z.ZodRawShape> {
  return SCHEMAS[action];
}
