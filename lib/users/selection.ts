import { z } from "zod";
import { USER_ROLES, USER_STATUSES } from "@/db/schema";
import { EXCLUDABLE_ROLES, MAX_DAYS, serializeDormantFilter } from "@/lib/policies/dormant-filter";
import { calendarDay, MAX_SEARCH_LENGTH, searchText } from "@/lib/url";
import { MAX_EXPLICIT_TARGETS } from "@/model/limits";
import { TABS } from "./view";

/**
 * What a server action is asked to act on. Unlike a page's URL, which may fall back to defaults,
 * this is a contract: every key required, unknown keys refused, nothing coerced. A filter that
 * parses "wrong" must be refused, never read as "everyone in Active".
 */

export { MAX_EXPLICIT_TARGETS };

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date written YYYY-MM-DD")
  .refine((d) => calendarDay(d) === d, "That date doesn't exist");

export const selectionFilterSchema = z.strictObject({
  tab: z.enum(TABS, { error: `The tab must be one of ${TABS.join(", ")}` }),
  q: z
    .string()
    .max(MAX_SEARCH_LENGTH, `Keep the search under ${MAX_SEARCH_LENGTH} characters`)
    .refine((q) => searchText(q) !== null, "The search can't hold control characters"),
  roles: z.array(z.enum(USER_ROLES)).max(USER_ROLES.length),
  neverSignedIn: z.boolean(),
  lastSignInBefore: day.nullable(),
  accessEnding: z.boolean(),
  /**
   * The dormant-user policy's condition (`dormant=` on /users). The one key that may be left out:
   * absent is no such filter, as it was before the filter existed.
   */
  dormant: z
    .strictObject({
      days: z.number().int().min(1).max(MAX_DAYS),
      exemptDays: z.number().int().min(0).max(MAX_DAYS),
      excludeRoles: z.array(z.enum(EXCLUDABLE_ROLES)).max(EXCLUDABLE_ROLES.length),
    })
    .nullable()
    .optional(),
});
export type SelectionFilter = z.output<typeof selectionFilterSchema>;

export const selectionSchema = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({
      kind: z.literal("ids"),
      targets: z
        .array(z.strictObject({ id: z.uuid(), expectedStatus: z.enum(USER_STATUSES) }))
        .min(1, "Select at least one user.")
        .max(
          MAX_EXPLICIT_TARGETS,
          `Select at most ${MAX_EXPLICIT_TARGETS} users, or use "Select all matching".`,
        )
        // Dedupe by id: the first occurrence wins.
        .transform((targets) => [...new Map(targets.map((t) => [t.id, t])).values()]),
    }),
    z.strictObject({
      kind: z.literal("filter"),
      filter: selectionFilterSchema,
      excludeIds: z.array(z.uuid()).max(MAX_EXPLICIT_TARGETS),
    }),
  ],
  { error: 'The selection must be { kind: "ids", … } or { kind: "filter", … }' },
);
export type Selection = z.input<typeof selectionSchema>;
export type ParsedSelection = z.output<typeof selectionSchema>;

/**
 * One spelling of a filter selection and the action it is for: what the preview's token hashes,
 * so that the apply step can tell it is applying what the confirmation showed.
 */
export function canonicalSelection(action: string, selection: ParsedSelection): string {
  if (selection.kind === "ids") {
    const ids = selection.targets.map((t) => `${t.id}:${t.expectedStatus}`).sort();
    return JSON.stringify({ action, kind: "ids", ids });
  }
  const f = selection.filter;
  return JSON.stringify({
    action,
    kind: "filter",
    filter: {
      tab: f.tab,
      q: f.q,
      roles: [...new Set(f.roles)].sort(),
      neverSignedIn: f.neverSignedIn,
      lastSignInBefore: f.lastSignInBefore,
      accessEnding: f.accessEnding,
      dormant: f.dormant ? serializeDormantFilter(f.dormant) : null,
    },
    excludeIds: [...new Set(selection.excludeIds.map((id) => id.toLowerCase()))].sort(),
  });
}
