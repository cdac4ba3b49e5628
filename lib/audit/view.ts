import {
  createLoader,
  createParser,
  createSerializer,
  type inferParserType,
  parseAsNumberLiteral,
} from "nuqs/server";
import { parseAsCursor, parseAsDay, parseAsSearchText, searchText } from "@/lib/url";
import { isUuid } from "@/model/uuid";
import { definition, isNewUserVerb, isVerb, newUserDefinition } from "@/model/verbs";
import { AUDIT_DEFAULT_PAGE_SIZE, AUDIT_PAGE_SIZES } from "@/model/view";

export { AUDIT_DEFAULT_PAGE_SIZE, AUDIT_PAGE_SIZES } from "@/model/view";

/** An action name as stored ("archive", "accept-invitation"). */
const parseAsActionName = createParser({
  parse: (raw) => (/^[a-z][a-z-]{0,59}$/.test(raw.trim()) ? raw.trim() : null),
  serialize: (v) => v,
});

const ID_PREFIX = "id:";

/**
 * An actor or target filter as the URL holds it: `id:<uuid>` for one person (picked from a list,
 * or linked from the log: exact, and kept after the person is deleted), else free text matched
 * against names and emails. An `id:` that is not a uuid is refused (the page falls back to no
 * filter, and its field shows so).
 */
const parseAsPersonFilter = createParser({
  parse: (raw) => {
    const text = searchText(raw);
    if (text === null || !text.toLowerCase().startsWith(ID_PREFIX)) return text;
    const id = text.slice(ID_PREFIX.length).trim();
    return isUuid(id) ? personIdFilter(id) : null;
  },
  serialize: (v) => v,
});

/** The filter value that names one person by id: `id:<uuid>`. */
export function personIdFilter(id: string): string {
  return `${ID_PREFIX}${id.toLowerCase()}`;
}

/**
 * What an actor or target filter asks for: one person by id (`id:<uuid>`, or a bare uuid as
 * older links wrote it), or people whose name or email contains the text.
 */
export function personFilterOf(value: string): { id: string } | { text: string } {
  const id = value.toLowerCase().startsWith(ID_PREFIX) ? value.slice(ID_PREFIX.length) : value;
  return isUuid(id) ? { id: id.toLowerCase() } : { text: value };
}

/** The URL state of the audit log, one nuqs parser per key; bad values fall back to defaults. */
const auditViewParsers = {
  /** Who did it: part of a name or email, or `id:<uuid>`. */
  actor: parseAsPersonFilter.withDefault(""),
  /** An action name, or "" for every action. */
  action: parseAsActionName.withDefault(""),
  /** To whom: part of a name or email, or `id:<uuid>`. */
  target: parseAsPersonFilter.withDefault(""),
  /** Part of the reason given (a choice of the workspace's list, or any words). */
  reason: parseAsSearchText.withDefault(""),
  from: parseAsDay,
  to: parseAsDay,
  /** Opaque keyset position; absent is the first page. */
  cursor: parseAsCursor,
  size: parseAsNumberLiteral(AUDIT_PAGE_SIZES).withDefault(AUDIT_DEFAULT_PAGE_SIZE),
};

/** The whole state of the audit log page: what its URL holds. */
export type AuditView = Omit<ParsedAuditView, "size" | "cursor"> & {
  size: number;
  cursor?: string | null;
};
type ParsedAuditView = inferParserType<typeof auditViewParsers>;

type Params = Record<string, string | string[] | undefined> | URLSearchParams;

const loadAuditView = createLoader(auditViewParsers);

/** Parses the audit page's search params; anything malformed falls back to its default. */
export function parseAuditView(params: Params): AuditView {
  return loadAuditView(params);
}

export const AUDIT_DEFAULTS: AuditView = loadAuditView({});

const serializeAuditView = createSerializer(auditViewParsers);

/** The URL query of an audit view, leaving out defaults. */
export function auditViewQuery(view: Partial<AuditView>): string {
  const v = { ...AUDIT_DEFAULTS, ...view };
  return serializeAuditView({ ...v, size: v.size as ParsedAuditView["size"] });
}

/** True when From is after To: no event can match, and the page says so. */
export function isBadRange(view: Pick<AuditView, "from" | "to">): boolean {
  return Boolean(view.from && view.to && view.from > view.to);
}

export function isFiltered(view: AuditView): boolean {
  return Boolean(view.actor || view.action || view.target || view.reason || view.from || view.to);
}

const OTHER_LABELS: Record<string, string> = {
  "accept-invitation": "Accept invitation",
  "end-sessions": "End sessions",
  setup: "Set up workspace",
  "reset-password": "Reset password",
  "request-access": "Request access",
  "import-csv": "Import CSV",
  "transfer-workspace": "Transfer workspace ownership",
  "change-setting": "Change setting",
  "create-scim-token": "Create SCIM token",
  "revoke-scim-token": "Revoke SCIM token",
  "update-profile": "Update profile",
  "deletion-requested": "Request deletion",
  "deletion-approved": "Approve deletion",
  "deletion-declined": "Decline deletion",
  "deletion-expired": "Deletion request expired",
};

/** How an action is named in the log's Action column and filter: the verb of the menus. */
export function auditActionLabel(action: string): string {
  if (isVerb(action)) return definition(action).wording.verb;
  if (isNewUserVerb(action)) return newUserDefinition(action).wording.verb;
  const known = OTHER_LABELS[action];
  if (known) return known;
  const words = action.replaceAll(/[-_.]+/g, " ").trim();
  return words ? words[0]?.toUpperCase() + words.slice(1) : action;
}

const OTHER_PAST: Record<string, string> = {
  "accept-invitation": "Invitation accepted",
  "end-sessions": "Sessions ended",
  setup: "Workspace set up",
  "redact-reason": "Reason redacted",
  "reset-password": "Password reset",
  "request-access": "Requested access",
  "import-csv": "Imported from CSV",
  "transfer-workspace": "Workspace ownership transferred",
  "change-setting": "Setting changed",
  "create-scim-token": "SCIM token created",
  "revoke-scim-token": "SCIM token revoked",
  "update-profile": "Profile updated",
  "deletion-requested": "Deletion requested",
  "deletion-approved": "Deletion approved",
  "deletion-declined": "Deletion declined",
  "deletion-expired": "Deletion request expired",
};

/** How a history line reads: "Archived by <actor>". */
export function auditActionPast(action: string): string {
  if (isVerb(action)) return definition(action).wording.past;
  if (isNewUserVerb(action)) return newUserDefinition(action).wording.past;
  return OTHER_PAST[action] ?? auditActionLabel(action);
}
