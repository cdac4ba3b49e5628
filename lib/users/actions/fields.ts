import { z } from "zod";
import type { ActionDefinition } from "./define";

/** A field of the confirmation dialog, derived from an action's options schema. */
export type OptionField =
  | { key: string; kind: "checkbox"; label: (who: string) => string }
  | { key: string; kind: "typed"; word: string; label: string }
  | { key: string; kind: "date"; label: (who: string) => string };

function unwrap(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) {
    return unwrap(schema.unwrap() as z.ZodType);
  }
  return schema;
}

/**
 * boolean → checkbox, a string literal → "Type <WORD> to confirm", an ISO date → date field.
 * Anything else is a definition the dialog can't render: it throws when the registry loads.
 */
export function optionFields(def: ActionDefinition): OptionField[] {
  return Object.entries(def.options.shape).map(([key, raw]) => {
    const schema = unwrap(raw as z.ZodType);
    const label = def.labels?.[key];
    if (schema instanceof z.ZodBoolean || schema instanceof z.ZodISODate) {
      if (!label) throw new Error(`${def.action}: option "${key}" needs a label`);
      return { key, kind: schema instanceof z.ZodBoolean ? "checkbox" : "date", label };
    }
    if (schema instanceof z.ZodLiteral && typeof schema.value === "string") {
      return { key, kind: "typed", word: schema.value, label: `Type ${schema.value} to confirm` };
    }
    throw new Error(`${def.action}: option "${key}" has no field kind`);
  });
}

/** What a dialog starts with: boxes unchecked, nothing typed. */
export function initialOptionValues(fields: readonly OptionField[]): OptionValues {
  return Object.fromEntries(fields.map((f) => [f.key, f.kind === "checkbox" ? false : ""]));
}

export type OptionValues = Record<string, boolean | string>;

/** The options to send: checkboxes as booleans; typed and date fields only once filled. */
export function optionsToSend(
  fields: readonly OptionField[],
  values: OptionValues,
  { forPreview = false } = {},
): Record<string, boolean | string> {
  const out: Record<string, boolean | string> = {};
  for (const f of fields) {
    const v = values[f.key];
    if (f.kind === "checkbox") out[f.key] = v === true;
    else if (!forPreview && typeof v === "string" && v !== "") out[f.key] = v;
  }
  return out;
}

/** Whether every typed confirmation matches its word. */
export function fieldsComplete(fields: readonly OptionField[], values: OptionValues): boolean {
  return fields.every((f) => f.kind !== "typed" || values[f.key] === f.word);
}
