import { LIFECYCLE, type MenuRules } from "@/lib/users/lifecycle";

/**
 * The lifecycle table as client components read it: imported, like the definitions it comes
 * from (model/verbs/, client-safe by construction). One road: no provider, no copy from the server.
 */
export function useLifecycleRules(): MenuRules {
  return LIFECYCLE;
}
