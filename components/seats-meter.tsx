import { CircleAlert, TriangleAlert } from "lucide-react";
import { cx } from "@/components/ui/cx";
import { formatCount } from "@/lib/format";

/** Seats left at which the header starts to warn: a tenth of the limit, at least 3. */
function seatsWarningAt(limit: number): number {
  return Math.max(3, Math.ceil(limit / 10));
}

/**
 * "37 of 50 seats" in the header; amber when nearly full, red when full. Then, for those who
 * manage the workspace's settings, the warning links to where the limit is set.
 */
export function SeatsMeter({
  used,
  limit,
  settingsHref,
}: {
  used: number;
  limit: number;
  settingsHref?: string;
}) {
  const left = limit - used;
  const full = left <= 0;
  const near = !full && left <= seatsWarningAt(limit);
  const Icon = full ? CircleAlert : TriangleAlert;
  return (
    <span
      data-testid="seats"
      className={cx(
        "inline-flex items-center gap-1",
        full
          ? "rounded-md bg-red-50 px-1.5 font-medium text-red-800 dark:bg-red-950/60 dark:text-red-200"
          : near
            ? "rounded-md bg-amber-50 px-1.5 font-medium text-amber-900 dark:bg-amber-950/60 dark:text-amber-200"
            : "text-zinc-600 dark:text-zinc-400",
      )}
    >
      {formatCount(used)} of {formatCount(limit)} seats
      {full || near ? (
        <>
          <Icon aria-hidden="true" className="size-3.5 shrink-0" />
          <span>{full ? "· full" : `· ${formatCount(left)} left`}</span>
          {settingsHref ? (
            <a href={settingsHref} className="underline underline-offset-2">
              Change the seat limit
            </a>
          ) : null}
        </>
      ) : null}
    </span>
  );
}
