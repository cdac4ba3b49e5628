import { z } from "zod";
import { MAX_EXPLICIT_TARGETS, type Selection, selectionSchema } from "../selection";
import type { ActionDefinition } from "./define";
import { type Definitions, definition, LIFECYCLE_ACTIONS, type OptionsOf } from "./index";
import { optionsSchema } from "./options";

const reason = z.string().trim().max(500, "Keep the reason under 500 characters.").optional();
const onConflict = z
  .enum(["skip", "abort"], { error: 'onConflict is "skip" or "abort"' })
  .default("skip");

function inputOf(def: ActionDefinition) {
  return z.strictObject({
    action: z.literal(def.action),
    selection: selectionSchema,
    options: optionsSchema(def.action as keyof Definitions),
    reason,
    /**
     * "skip" (default): targets changed by someone else are skipped and reported. "abort": if
     * any was, change nothing and say so (the dialog then shows the new state).
     */
    onConflict,
    /** For a filter selection: the preview's token, proof that this is the filter it showed. */
    token: z.string().max(100).optional(),
    // Only actions that move records name who takes them over.
    ...(def.rule.needsTransfer ? { newOwnerId: z.uuid().optional() } : {}),
    // Only an action with an inverse can be an Undo: the id of the change it undoes.
    ...(def.rule.inverse !== null ? { undoOf: z.uuid().optional() } : {}),
  });
}

const [first, ...rest] = LIFECYCLE_ACTIONS.map((a) => inputOf(definition(a)));

/** The one lifecycle server action's input: a union on `action`, each with its own options. */
export const lifecycleInputSchema = z.discriminatedUnion(
  "action",
  [first as ReturnType<typeof inputOf>, ...rest],
  { error: `The action must be one of ${LIFECYCLE_ACTIONS.join(", ")}` },
);

type Common = {
  selection: Selection;
  reason?: string;
  onConflict?: "skip" | "abort";
  token?: string;
  newOwnerId?: string;
  undoOf?: string;
};

/** What the browser sends: typed per action from the definitions. */
export type LifecycleInput = {
  [A in keyof Definitions]: Common & {
    action: A;
    options: OptionsOf<A>;
  };
}[keyof Definitions];

/** The preview: each action's options, none required yet (nothing is typed before the preview). */
export const previewInputSchema = z.discriminatedUnion(
  "action",
  LIFECYCLE_ACTIONS.map((a) =>
    z.strictObject({
      action: z.literal(a),
      selection: selectionSchema,
      options: optionsSchema(a).partial(),
      limit: z.number().int().min(1).max(MAX_EXPLICIT_TARGETS).default(50),
    }),
  ) as unknown as [z.ZodObject<PreviewShape>, ...z.ZodObject<PreviewShape>[]],
  { error: `The action must be one of ${LIFECYCLE_ACTIONS.join(", ")}` },
);

type PreviewShape = {
  action: z.ZodLiteral<keyof Definitions>;
  selection: typeof selectionSchema;
  options: z.ZodObject<z.ZodRawShape>;
  limit: z.ZodDefault<z.ZodNumber>;
};

export type PreviewInput = {
  [A in keyof Definitions]: {
    action: A;
    selection: Selection;
    options: Partial<OptionsOf<A>>;
    limit?: number;
  };
}[keyof Definitions];

/** "See all" in the preview: the next page of who will change, after the last one shown. */
export const previewPageInputSchema = z.discriminatedUnion(
  "action",
  LIFECYCLE_ACTIONS.map((a) =>
    z.strictObject({
      action: z.literal(a),
      selection: selectionSchema,
      options: optionsSchema(a).partial(),
      after: z.strictObject({ name: z.string().max(500), id: z.uuid() }).nullable(),
      limit: z.number().int().min(1).max(200).default(100),
    }),
  ) as unknown as [z.ZodObject<PreviewPageShape>, ...z.ZodObject<PreviewPageShape>[]],
  { error: `The action must be one of ${LIFECYCLE_ACTIONS.join(", ")}` },
);

type PreviewPageShape = Omit<PreviewShape, "limit"> & {
  after: z.ZodNullable<z.ZodObject<{ name: z.ZodString; id: z.ZodUUID }>>;
  limit: z.ZodDefault<z.ZodNumber>;
};

export type PreviewPageInput = Omit<PreviewInput, "limit"> & {
  after: { name: string; id: string } | null;
  limit?: number;
};
