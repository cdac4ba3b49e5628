import "server-only";
import { timingSafeEqual } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { serverMac } from "@/lib/security/keys";
import type { Person } from "@/model/permissions";
import { canonicalSelection } from "./selection";
import { selectionSource } from "./selection-sql";
import { fingerprintSet, type SetFingerprint } from "./set-fingerprint";
import type { ParsedSelection } from "./verb-types";

export { SELECTION_CHANGED } from "./set-fingerprint";

/**
 * The preview's token, for a filter selection: proof that the confirmation showed this actor
 * this action on this selection, matching this set of users, not long ago. A MAC with the
 * server's secret over the actor, the action, the canonical selection, the count and a
 * fingerprint of the matched ids, and the expiry: nobody can compute one, nor use another
 * admin's. At apply time the set is fingerprinted again, under the locks: when it differs,
 * nothing is applied (see `applyPreviewed`). Explicit selections (ids) need no token: each
 * target carries the status it was seen in.
 */

/** How long a confirmation stays good after its preview. */
const TOKEN_TTL_MS = 30 * 60 * 1000;
const VERSION = "v1";

const STALE_SELECTION =
  "This isn't the selection the confirmation showed. Open the action again to review it";
const EXPIRED = "This confirmation has expired. Review the preview again and confirm.";

function mac(actor: Person, action: string, selection: ParsedSelection, body: string): string {
  const data = [VERSION, actor.id, action, canonicalSelection(action, selection), body].join("\n");
  return serverMac("preview token", data).toString("base64url");
}

/** The token a preview hands out for what it showed: the set the selection matches now. */
export async function issuePreviewToken(
  db: Executor,
  args: { actor: Person; action: string; selection: ParsedSelection; now: Date },
): Promise<string> {
  const set = await fingerprintSet(
    db,
    sql`from users where ${selectionSource(args.selection).where}`,
    sql`"users"."id"`,
  );
  const body = `${(args.now.getTime() + TOKEN_TTL_MS).toString(36)}.${set.count}.${set.fingerprint}`;
  return `${VERSION}.${body}.${mac(args.actor, args.action, args.selection, body)}`;
}

type TokenCheck =
  | { ok: true; expected: SetFingerprint }
  | { ok: false; error: string; expired?: true };

/** Whether the token is this actor's, for this action and selection, and still good. */
export function readPreviewToken(args: {
  actor: Person;
  action: string;
  selection: ParsedSelection;
  token: string | undefined;
  now: Date;
}): TokenCheck {
  const parts = (args.token ?? "").split(".");
  const [version, expiry, count, fingerprint, given] = parts;
  if (parts.length !== 5 || version !== VERSION || !expiry || !count || !fingerprint || !given)
    return { ok: false, error: STALE_SELECTION };
  const body = `${expiry}.${count}.${fingerprint}`;
  const expected = Buffer.from(mac(args.actor, args.action, args.selection, body));
  const actual = Buffer.from(given);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual))
    return { ok: false, error: STALE_SELECTION };
  if (Number.parseInt(expiry, 36) <= args.now.getTime())
    return { ok: false, error: EXPIRED, expired: true };
  return { ok: true, expected: { count: Number(count), fingerprint } };
}
