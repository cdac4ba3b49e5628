import "server-only";
import { createHash } from "node:crypto";
import { canonicalSelection, type ParsedSelection } from "./selection";

/** What the preview hands out and the apply step must echo back for a filter selection. */
export function selectionToken(action: string, selection: ParsedSelection): string {
  return createHash("sha256").update(canonicalSelection(action, selection)).digest("base64url");
}

const STALE_SELECTION =
  "This isn't the selection the confirmation showed. Open the action again to review it";

/** Null when the token fits; a filter selection without the preview's token is refused. */
export function tokenRefusal(
  action: string,
  selection: ParsedSelection,
  token: string | undefined,
): string | null {
  if (selection.kind === "ids") return null;
  return token === selectionToken(action, selection) ? null : STALE_SELECTION;
}
