import { z } from "zod";
import { TABS, USER_ROLES } from "@/lib/constants";
import { calendarDay, searchText } from "@/lib/url";
import type { UsersFilter } from "./view";

/**
 * The filter of "all N matching" as a server action receives it: a contract, read strictly.
 * Nothing falls back to a default, since a filter that parsed "wrong" would widen the selection.
 */
export const usersFilterSchema = z
  .object({
    tab: z.enum(TABS),
    q: z.string().refine((q) => searchText(q) === q, "Search text is not valid."),
    roles: z.array(z.enum(USER_ROLES)).max(USER_ROLES.length),
    neverSignedIn: z.boolean(),
    lastSignInBefore: z
      .string()
      .refine((d) => calendarDay(d) !== null, "Not a valid day.")
      .nullable(),
  })
  .strict() satisfies z.ZodType<UsersFilter>;
