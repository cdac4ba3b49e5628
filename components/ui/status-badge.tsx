import { type BadgeTone, STATUS_LABELS, STATUSES, type UserStatus } from "@/model/statuses";

export { STATUS_LABELS };

/** A badge's colours per tone (the tone of each status is in model/statuses.ts). */
const TONES: Record<BadgeTone, string> = {
  green:
    "bg-emerald-50 text-emerald-800 ring-emerald-600/30 dark:bg-emerald-950 dark:text-emerald-200",
  blue: "bg-sky-50 text-sky-800 ring-sky-600/30 dark:bg-sky-950 dark:text-sky-200",
  amber: "bg-amber-50 text-amber-900 ring-amber-600/30 dark:bg-amber-950 dark:text-amber-200",
  grey: "bg-zinc-100 text-zinc-800 ring-zinc-500/30 dark:bg-zinc-800 dark:text-zinc-200",
  violet: "bg-violet-50 text-violet-800 ring-violet-600/30 dark:bg-violet-950 dark:text-violet-200",
  red: "bg-red-50 text-red-800 ring-red-600/30 dark:bg-red-950 dark:text-red-200",
};

/** A badge in a tone of its own (not a status): "Access ends Dec 3". */
export function ToneBadge({
  tone,
  title,
  children,
}: {
  tone: BadgeTone;
  title?: string;
  children: React.ReactNode;
}) {
  return (
    <span
      title={title}
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${TONES[tone]}`}
    >
      {children}
    </span>
  );
}

export function StatusBadge({ status }: { status: UserStatus }) {
  return (
    <span
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${TONES[STATUSES[status].tone]}`}
    >
      {STATUS_LABELS[status]}
    </span>
  );
}
