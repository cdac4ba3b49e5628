import type { UserStatus } from "@/db/schema";

const STYLES: Record<UserStatus, string> = {
  active:
    "bg-emerald-50 text-emerald-800 ring-emerald-600/30 dark:bg-emerald-950 dark:text-emerald-200",
  invited: "bg-sky-50 text-sky-800 ring-sky-600/30 dark:bg-sky-950 dark:text-sky-200",
  pending: "bg-amber-50 text-amber-900 ring-amber-600/30 dark:bg-amber-950 dark:text-amber-200",
  inactive: "bg-zinc-100 text-zinc-800 ring-zinc-500/30 dark:bg-zinc-800 dark:text-zinc-200",
  archived:
    "bg-violet-50 text-violet-800 ring-violet-600/30 dark:bg-violet-950 dark:text-violet-200",
  rejected: "bg-red-50 text-red-800 ring-red-600/30 dark:bg-red-950 dark:text-red-200",
};

export const STATUS_LABELS: Record<UserStatus, string> = {
  active: "Active",
  invited: "Invited",
  pending: "Pending",
  inactive: "Inactive",
  archived: "Archived",
  rejected: "Rejected",
};

export function StatusBadge({ status }: { status: UserStatus }) {
  return (
    <span
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STYLES[status]}`}
    >
      {STATUS_LABELS[status]}
    </span>
  );
}
