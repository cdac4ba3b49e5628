import { z } from "zod";
import { REASON_MAX_LENGTH } from "@/model/limits";
import type { OptionsOfFields, VerbDefinition } from "@/model/verbs/define";
import {
  type Definitions,
  definition,
  NEW_USER_VERB_NAMES,
  type NEW_USER_VERBS,
  type NewUserVerb,
  newUserDefinition,
  type OptionsOf,
  VERB_NAMES,
} from "@/model/verbs/index";
import { MAX_EXPLICIT_TARGETS, type Selection, selectionSchema } from "../selection";
import { optionsSchema, optionsSchemaOf } from "./options";

const reason = z
  .string()
  .trim()
  .max(REASON_MAX_LENGTH, `Keep the reason to ${REASON_MAX_LENGTH} characters.`)
  .optional();
const onConflict = z
  .enum(["skip", "abort"], { error: 'onConflict is "skip" or "abort"' })
  .default("skip");

function inputOf(def: VerbDefinition) {
  return z.strictObject({
    action: z.literal(def.name),
    selection: selectionSchema,
    options: optionsSchema(def.name as keyof Definitions),
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

const [first, ...rest] = VERB_NAMES.map((a) => inputOf(definition(a)));

/** The one lifecycle server action's input: a union on `action`, each with its own options. */
export const lifecycleInputSchema = z.discriminatedUnion(
  "action",
  [first as ReturnType<typeof inputOf>, ...rest],
  { error: `The action must be one of ${VERB_NAMES.join(", ")}` },
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
  VERB_NAMES.map((a) =>
    z.strictObject({
      action: z.literal(a),
      selection: selectionSchema,
      options: optionsSchema(a).partial(),
      limit: z.number().int().min(1).max(MAX_EXPLICIT_TARGETS).default(50),
    }),
  ) as unknown as [z.ZodObject<PreviewShape>, ...z.ZodObject<PreviewShape>[]],
  { error: `The action must be one of ${VERB_NAMES.join(", ")}` },
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
  VERB_NAMES.map((a) =>
    z.strictObject({
      action: z.literal(a),
      selection: selectionSchema,
      options: optionsSchema(a).partial(),
      after: z.strictObject({ name: z.string().max(500), id: z.uuid() }).nullable(),
      limit: z.number().int().min(1).max(200).default(100),
    }),
  ) as unknown as [z.ZodObject<PreviewPageShape>, ...z.ZodObject<PreviewPageShape>[]],
  { error: `The action must be one of ${VERB_NAMES.join(", ")}` },
);

type PreviewPageShape = Omit<PreviewShape, "limit"> & {
  after: z.ZodNullable<z.ZodObject<{ name: z.ZodString; id: z.ZodUUID }>>;
  limit: z.ZodDefault<z.ZodNumber>;
};

export type PreviewPageInput = Omit<PreviewInput, "limit"> & {
  after: { name: string; id: string } | null;
  limit?: number;
};

function newUsersInputOf(action: NewUserVerb) {
  return z.strictObject({
    action: z.literal(action),
    options: optionsSchemaOf(newUserDefinition(action)),
    /** The preview's fingerprint: the apply goes ahead only with the plan it showed. */
    expected: z.string().max(100).optional(),
  });
}

const [firstNew, ...restNew] = NEW_USER_VERB_NAMES.map(newUsersInputOf);

/** The input of a verb that creates users (invite): the same for its preview and its apply. */
export const newUsersInputSchema = z.discriminatedUnion(
  "action",
  [firstNew as ReturnType<typeof newUsersInputOf>, ...restNew],
  { error: `The action must be one of ${NEW_USER_VERB_NAMES.join(", ")}` },
);

/** What the browser sends to preview or create users: typed per verb from the definitions. */
export type NewUsersInput = {
  [A in NewUserVerb]: {
    action: A;
    options: OptionsOfFields<(typeof NEW_USER_VERBS)[A]["fields"]>;
    expected?: string;
  };
}[NewUserVerb];
