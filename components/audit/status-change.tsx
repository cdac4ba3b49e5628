import { StatusBadge } from "@/components/ui/status-badge";
import type { UserStatus } from "@/db/schema";

/** "Active → Archived"; a removed row has no status after. */
export function StatusChange({ from, to }: { from: UserStatus | null; to: UserStatus | null }) {
  if (!from && !to) return null;
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5">
      {from ? <StatusBadge status={from} /> : <span className="text-xs">None</span>}
      <span aria-hidden="true">→</span>
      <span className="sr-only">to</span>
      {to ? <StatusBadge status={to} /> : <span className="text-xs font-medium">Deleted</span>}
    </span>
  );
}
