/** Why a target of an action was left alone, in the words the UI shows (no dependencies: client code reads it). */
export const SKIP_REASONS = {
  self: "That's you: nobody acts on their own account.",
  owner: "The workspace owner can't be changed.",
  rank: "Ranks the same as or above you.",
  status: "Not in a status this action applies to.",
  conflict: "Changed by someone else.",
  /** The verb would write what the row already holds; a verb names the value (`wording.unchanged`). */
  unchanged: "Already has that value.",
  notFound: "No longer exists.",
  /** Import CSV as a job: an invited row found no free seat when its batch ran. */
  seat: "No seat left.",
} as const;
export type SkipCode = keyof typeof SKIP_REASONS;
