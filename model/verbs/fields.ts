import type { VerbDefinition } from "./define";

/** A field of the confirmation dialog, from a verb's field specs (no zod: this is client code). */
export type OptionField =
  | { key: string; kind: "checkbox"; label: (who: string) => string }
  | { key: string; kind: "typed"; word: string; label: string }
  | {
      key: string;
      kind: "date" | "datetime";
      label: (who: string) => string;
      required: boolean;
      /** Empty is a value: it clears the time (sent as null). */
      clearable: boolean;
      /** The <input type> that asks for it. */
      inputType: "date" | "datetime-local";
    }
  /** A select of the roles the viewer may give (model/permissions.ts, `rolesBelow`). */
  | { key: string; kind: "role"; label: (who: string) => string; required: boolean };

/**
 * boolean → checkbox, a typed word → "Type <WORD> to confirm", a date or a minute → a date or
 * date-and-time field, a role → a select of the roles below the viewer's. Email lists have no
 * control yet (nothing asks for them).
 */
export function optionFields(def: VerbDefinition): OptionField[] {
  return Object.entries(def.fields).flatMap(([key, spec]): OptionField[] => {
    switch (spec.kind) {
      case "typed":
        return [{ key, kind: "typed", word: spec.word, label: `Type ${spec.word} to confirm` }];
      case "checkbox":
        return [{ key, kind: "checkbox", label: spec.label }];
      case "date":
      case "datetime":
        return [
          {
            key,
            kind: spec.kind,
            label: spec.label,
            required: spec.required === true,
            clearable: spec.clearable === true,
            inputType: spec.kind === "date" ? "date" : "datetime-local",
          },
        ];
      case "role":
        return [{ key, kind: "role", label: spec.label, required: spec.required === true }];
      default:
        return [];
    }
  });
}

/** What a dialog starts with: boxes unchecked, nothing typed. */
export function initialOptionValues(fields: readonly OptionField[]): OptionValues {
  return Object.fromEntries(fields.map((f) => [f.key, f.kind === "checkbox" ? false : ""]));
}

export type OptionValues = Record<string, boolean | string>;

/** A date-and-time field's local value ("2027-01-12T09:30") as the UTC time the server takes. */
function utcMinute(local: string): string | null {
  const at = new Date(local);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

/**
 * Whether a field's value changes who the verb changes, and how: the preview is asked again when
 * it does (restore "with a new invitation" lands elsewhere; a new role skips who already has it).
 */
export function reshapesPreview(field: OptionField): boolean {
  return field.kind === "checkbox" || field.kind === "role";
}

/**
 * The options to send: checkboxes as booleans; the other fields only once filled, and to the
 * preview only those that reshape it.
 */
export function optionsToSend(
  fields: readonly OptionField[],
  values: OptionValues,
  { forPreview = false } = {},
): Record<string, boolean | string | null> {
  const out: Record<string, boolean | string | null> = {};
  for (const f of fields) {
    const v = values[f.key];
    if (f.kind === "checkbox") out[f.key] = v === true;
    else if (f.kind === "datetime" && f.clearable && !forPreview && v === "") out[f.key] = null;
    else if ((forPreview && !reshapesPreview(f)) || typeof v !== "string" || v === "") continue;
    else if (f.kind === "datetime") out[f.key] = utcMinute(v) ?? v;
    else out[f.key] = v;
  }
  return out;
}

/** Whether every typed confirmation matches its word and every required field is filled. */
export function fieldsComplete(fields: readonly OptionField[], values: OptionValues): boolean {
  return fields.every((f) => {
    if (f.kind === "typed") return values[f.key] === f.word;
    if (f.kind === "checkbox" || !f.required) return true;
    if (f.kind === "datetime" && f.clearable) return true;
    return typeof values[f.key] === "string" && values[f.key] !== "";
  });
}
