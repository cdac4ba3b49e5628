import { LocalDateTime } from "@/components/local-time";
import type { UserStatus } from "@/db/schema";
import { ROLE_LABELS, type UserRole } from "@/model/roles";
import { StatusChange } from "./status-change";

/** "Role: Admin → Member" */
function RoleChange({ change }: { change: { from: UserRole; to: UserRole } | null }) {
  if (!change) return null;
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5 text-sm">
      <span className="text-zinc-600 dark:text-zinc-400">Role:</span>
      <span className="font-medium">{ROLE_LABELS[change.from]}</span>
      <span aria-hidden="true">→</span>
      <span className="sr-only">to</span>
      <span className="font-medium">{ROLE_LABELS[change.to]}</span>
    </span>
  );
}

/** "Access ends: none → Dec 3, 2026, 9:30 AM CET" (in the viewer's time zone). */
function AccessEndChange({ change }: { change: { from: string | null; to: string | null } }) {
  const shown = (at: string | null) =>
    at ? <LocalDateTime at={at} /> : <span className="text-zinc-600 dark:text-zinc-400">none</span>;
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5 text-sm">
      <span className="text-zinc-600 dark:text-zinc-400">Access ends:</span>
      <span className="font-medium">{shown(change.from)}</span>
      <span aria-hidden="true">→</span>
      <span className="sr-only">to</span>
      <span className="font-medium">{shown(change.to)}</span>
    </span>
  );
}

/**
 * What an event changed: the status, the role, the access end date, or several (a role or date
 * change keeps the status).
 */
export function EventChange({
  from,
  to,
  roles,
  accessEnd = null,
}: {
  from: UserStatus | null;
  to: UserStatus | null;
  roles: { from: UserRole; to: UserRole } | null;
  accessEnd?: { from: string | null; to: string | null } | null;
}) {
  if (!roles && !accessEnd) return <StatusChange from={from} to={to} />;
  return (
    <span className="inline-flex flex-wrap items-center gap-x-3 gap-y-1">
      {from !== to ? <StatusChange from={from} to={to} /> : null}
      {roles ? <RoleChange change={roles} /> : null}
      {accessEnd ? <AccessEndChange change={accessEnd} /> : null}
    </span>
  );
}
