import type { AnyPolicy } from "./define";
import { DORMANT } from "./dormant";
import { RETENTION } from "./retention";

/** Every policy the scheduler runs daily and /settings shows. */
export const POLICIES: readonly AnyPolicy[] = [DORMANT, RETENTION];
