"use client";

import { Button } from "@/components/ui/button";
import { STATUS_LABELS, StatusBadge } from "@/components/ui/status-badge";
import { formatCount } from "@/lib/format";
import type { PreviewResult, PreviewTarget, SkipCode, Skipped } from "@/lib/users/verb-types";
import { definition, skipReason, type Verb } from "@/model/verbs";
import { usersCount } from "./action-copy";

type PreviewOk = Extract<PreviewResult, { ok: true }>;

/**
 * Who the action will change (the first ones, then a page more at each "See all" / "Show more")
 * and who it will skip, and why.
 */
export function PreviewSummary({
  action,
  preview,
  expanded,
  loadingMore,
  onSeeAll,
}: {
  action: Verb;
  preview: PreviewOk | null;
  expanded: boolean;
  loadingMore: boolean;
  onSeeAll: () => void;
}) {
  if (!preview) {
    return (
      <div role="status" aria-label="Checking who this affects" className="mt-4 space-y-2">
        <div className="h-3 w-40 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
        <div className="h-9 animate-pulse rounded-md bg-zinc-100 dark:bg-zinc-900" />
        <div className="h-9 animate-pulse rounded-md bg-zinc-100 dark:bg-zinc-900" />
      </div>
    );
  }
  const { willChange, willChangeCount, skipped, skippedCount } = preview;
  const hidden = willChangeCount - willChange.length;
  return (
    <div className="mt-4 space-y-3">
      <section aria-label="Will change">
        <h3 className="text-sm font-medium">
          {willChangeCount === 0
            ? "Nobody in this selection can be changed."
            : `${usersCount(willChangeCount)} will be ${definition(action).wording.done.toLowerCase()}`}
        </h3>
        {willChange.length > 0 ? (
          <TargetList
            targets={willChange}
            scroll={expanded}
            showTo={definition(action).rule.to === "previous"}
          />
        ) : null}
        {hidden > 0 ? (
          <div className="mt-1.5 flex items-center gap-2 text-sm text-zinc-600 dark:text-zinc-400">
            <span>and {formatCount(hidden)} more.</span>
            {/* Not disabled while loading: a disabled button would drop the keyboard focus. */}
            <Button
              variant="ghost"
              size="sm"
              onClick={loadingMore ? undefined : onSeeAll}
              aria-disabled={loadingMore || undefined}
            >
              {loadingMore ? "Loading…" : expanded ? "Show more" : "See all"}
            </Button>
          </div>
        ) : null}
      </section>
      {skippedCount > 0 ? (
        <SkippedList
          action={action}
          skipped={skipped}
          count={skippedCount}
          byReason={preview.skippedByReason}
        />
      ) : null}
    </div>
  );
}

function TargetList({
  targets,
  scroll,
  showTo,
}: {
  targets: PreviewTarget[];
  scroll: boolean;
  /** A verb to "previous" (restore): each user returns to a status of their own, so say which. */
  showTo: boolean;
}) {
  return (
    <ul
      aria-label="Users this affects"
      // A scrollable list must be reachable by keyboard to be scrolled.
      tabIndex={scroll ? 0 : undefined}
      className={`mt-2 divide-y divide-zinc-100 rounded-md border border-zinc-200 text-sm dark:divide-zinc-800 dark:border-zinc-800 ${
        scroll ? "max-h-56 overflow-y-auto" : ""
      }`}
    >
      {targets.map((t) => (
        <li key={t.id} className="flex h-10 items-center gap-3 px-3">
          <span className="min-w-0 flex-1 truncate">
            <span className="font-medium">{t.name}</span>{" "}
            <span className="text-zinc-500 dark:text-zinc-400">{t.email}</span>
          </span>
          {showTo && t.to ? (
            <span className="flex items-center gap-1.5 text-xs text-zinc-600 dark:text-zinc-400">
              returns to <StatusBadge status={t.to} />
            </span>
          ) : (
            <StatusBadge status={t.status} />
          )}
        </li>
      ))}
    </ul>
  );
}

function SkippedList({
  action,
  skipped,
  count,
  byReason,
}: {
  action: Verb;
  skipped: Skipped[];
  count: number;
  byReason: Partial<Record<SkipCode, number>> | undefined;
}) {
  const more = count - skipped.length;
  const reasons = Object.entries(byReason ?? {}).filter(([, n]) => (n ?? 0) > 0);
  return (
    <section
      aria-label="Will be skipped"
      className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-800/70 dark:bg-amber-950/40 dark:text-amber-100"
    >
      <h3 className="font-medium">{usersCount(count)} will be skipped</h3>
      {reasons.length > 1 ? (
        <p className="mt-0.5">
          {reasons
            .map(
              ([code, n]) =>
                `${formatCount(n ?? 0)}: ${skipReason(action, code as SkipCode)
                  .replace(/\.$/, "")
                  .toLowerCase()}`,
            )
            .join(" · ")}
        </p>
      ) : null}
      <ul className="mt-1 max-h-28 space-y-0.5 overflow-y-auto">
        {skipped.map((s) => (
          <li key={s.id}>
            <span className="font-medium">{s.name ?? "A user"}</span>: {s.reason}
            {s.code === "conflict" && s.status
              ? ` Now ${STATUS_LABELS[s.status]}${s.changedBy ? `, changed by ${s.changedBy}` : ""}.`
              : ""}
          </li>
        ))}
        {more > 0 ? <li>and {more} more.</li> : null}
      </ul>
    </section>
  );
}
