import { z } from "zod";
import { definition, isLifecycleAction } from "@/lib/users/actions";

export const AUDIT_PAGE_SIZES = [25, 50, 100] as const;
export const AUDIT_DEFAULT_PAGE_SIZE = 50;

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)))
  .nullable()
  .catch(null);

/** The whole state of the audit log page: what its URL holds. */
const auditViewSchema = z.object({
  /** Who did it: part of a name or email, or a user id. */
  actor: z.string().trim().max(200).catch(""),
  /** An action name as stored ("archive", "accept-invitation"), or "" for every action. */
  action: z
    .string()
    .trim()
    .regex(/^[a-z][a-z-]{0,59}$/)
    .or(z.literal(""))
    .catch(""),
  /** To whom: part of a name or email, or a user id. */
  target: z.string().trim().max(200).catch(""),
  from: day,
  to: day,
  /** Opaque keyset cursor (lib/audit/queries.ts); absent = the newest events. */
  cursor: z.string().max(200).optional().catch(undefined),
  size: z
    .number()
    .int()
    .refine((n) => (AUDIT_PAGE_SIZES as readonly number[]).includes(n))
    .catch(AUDIT_DEFAULT_PAGE_SIZE),
});
export type AuditView = z.infer<typeof auditViewSchema>;

type Params = Record<string, string | string[] | undefined> | URLSearchParams;

function get(params: Params, key: string): string | undefined {
  if (params instanceof URLSearchParams) return params.get(key) ?? undefined;
  const v = params[key];
  return Array.isArray(v) ? v[0] : v;
}

/** Parses the audit page's search params; anything malformed falls back to its default. */
export function parseAuditView(params: Params): AuditView {
  const size = Number.parseInt(get(params, "size") ?? String(AUDIT_DEFAULT_PAGE_SIZE), 10);
  return auditViewSchema.parse({
    actor: get(params, "actor") ?? "",
    action: get(params, "action") ?? "",
    target: get(params, "target") ?? "",
    from: get(params, "from") || null,
    to: get(params, "to") || null,
    cursor: get(params, "cursor") || undefined,
    size: Number.isFinite(size) ? size : AUDIT_DEFAULT_PAGE_SIZE,
  });
}

export const AUDIT_DEFAULTS: AuditView = auditViewSchema.parse({});

/** The URL query of an audit view, leaving out defaults. */
export function auditViewQuery(view: Partial<AuditView>): string {
  const v = { ...AUDIT_DEFAULTS, ...view };
  const out = new URLSearchParams();
  if (v.actor) out.set("actor", v.actor);
  if (v.action) out.set("action", v.action);
  if (v.target) out.set("target", v.target);
  if (v.from) out.set("from", v.from);
  if (v.to) out.set("to", v.to);
  if (v.cursor) out.set("cursor", v.cursor);
  if (v.size !== AUDIT_DEFAULT_PAGE_SIZE) out.set("size", String(v.size));
  const s = out.toString();
  return s ? `?${s}` : "";
}

export function isFiltered(view: AuditView): boolean {
  return Boolean(view.actor || view.action || view.target || view.from || view.to);
}

const OTHER_LABELS: Record<string, string> = {
  "accept-invitation": "Accept invitation",
  invite: "Invite",
  "end-sessions": "End sessions",
  setup: "Set up workspace",
};

/** How an action is named in the log's Action column and filter: the verb of the menus. */
export function auditActionLabel(action: string): string {
  if (isLifecycleAction(action)) return definition(action).wording.verb;
  const known = OTHER_LABELS[action];
  if (known) return known;
  const words = action.replaceAll(/[-_.]+/g, " ").trim();
  return words ? words[0]?.toUpperCase() + words.slice(1) : action;
}

const OTHER_PAST: Record<string, string> = {
  invite: "Invited",
  "accept-invitation": "Invitation accepted",
  "end-sessions": "Sessions ended",
  setup: "Workspace set up",
  "redact-reason": "Reason redacted",
};

/** How a history line reads: "Archived by <actor>". */
export function auditActionPast(action: string): string {
  if (isLifecycleAction(action)) return definition(action).wording.past;
  return OTHER_PAST[action] ?? auditActionLabel(action);
}
