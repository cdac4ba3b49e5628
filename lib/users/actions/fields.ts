import type { ActionDefinition } from "./define";

/** A field of the confirmation dialog, from an action's field specs (no zod: this is client code). */
export type OptionField =
  | { key: string; kind: "checkbox"; label: (who: string) => string }
  | { key: string; kind: "typed"; word: string; label: string }
  | { key: string; kind: "date"; label: (who: string) => string };

/** boolean → checkbox, a typed word → "Type <WORD> to confirm", a date → date field. */
export function optionFields(def: ActionDefinition): OptionField[] {
  return Object.entries(def.fields).map(([key, spec]) =>
    spec.kind === "typed"
      ? { key, kind: "typed", word: spec.word, label: `Type ${spec.word} to confirm` }
      : { key, kind: spec.kind, label: spec.label },
  );
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
