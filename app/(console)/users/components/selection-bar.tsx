"use client";

import { useLifecycleRules } from "@/components/lifecycle-rules";
import { Button } from "@/components/ui/button";
import { formatCount } from "@/lib/format";
import type { Verb } from "@/lib/users/lifecycle";

/**
 * Fixed height, always there: it shows the result count, or, once rows are checked, the
 * selection and the bulk actions, so that checking a row never moves the table.
 */
export function SelectionBar({
  total,
  totalLabel,
  selectedCount,
  pageAllSelected,
  pageSize,
  allMatching,
  actions,
  noActionsReason,
  onSelectAllMatching,
  onClear,
  onAction,
  children,
}: {
  total: number;
  /** The total as shown: "1,000+" while it is capped. */
  totalLabel: string;
  selectedCount: number;
  pageAllSelected: boolean;
  pageSize: number;
  allMatching: boolean;
  actions: readonly Verb[];
  /** Shown in place of the actions when there are none: why. */
  noActionsReason?: string | null;
  onSelectAllMatching: () => void;
  onClear: () => void;
  onAction: (action: Verb, trigger: HTMLElement) => void;
  children?: React.ReactNode;
}) {
  const rules = useLifecycleRules();
  const selecting = selectedCount > 0;
  return (
    <div
      className={`mb-2 flex min-h-12 flex-wrap items-center gap-x-3 gap-y-2 rounded-md px-3 py-1.5 text-sm ${
        selecting
          ? "border border-indigo-200 bg-indigo-50 dark:border-indigo-900 dark:bg-indigo-950/40"
          : "border border-transparent"
      }`}
    >
      {selecting ? (
        <>
          <section aria-label="Selection" className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <p aria-live="polite" className="font-medium text-indigo-950 dark:text-indigo-100">
              {formatCount(selectedCount)} selected
            </p>
            {allMatching ? (
              <span className="text-indigo-900/80 dark:text-indigo-200/80">
                All users matching this view
                {selectedCount < total ? ", less the ones you unchecked" : ""}.
              </span>
            ) : pageAllSelected && total > pageSize ? (
              <span className="flex items-center gap-1 text-indigo-900/80 dark:text-indigo-200/80">
                All {pageSize} on this page.
                <Button variant="link" size="sm" onClick={onSelectAllMatching}>
                  Select all {totalLabel} matching
                </Button>
              </span>
            ) : null}
            <Button variant="ghost" size="sm" onClick={onClear}>
              Clear selection
            </Button>
          </section>
          {actions.length > 0 ? (
            <fieldset className="ml-auto flex flex-wrap gap-2">
              <legend className="sr-only">Bulk actions</legend>
              {actions.map((action) => (
                <Button
                  key={action}
                  size="sm"
                  variant={rules[action].tone === "deleting" ? "destructive" : "secondary"}
                  onClick={(e) => onAction(action, e.currentTarget)}
                >
                  {rules[action].verb}
                </Button>
              ))}
            </fieldset>
          ) : noActionsReason ? (
            <p className="ml-auto text-indigo-900/80 dark:text-indigo-200/80">{noActionsReason}</p>
          ) : null}
        </>
      ) : (
        <>
          <p className="text-zinc-600 dark:text-zinc-400">
            {totalLabel} {total === 1 ? "user" : "users"}
          </p>
          <div className="ml-auto flex items-center gap-2">{children}</div>
        </>
      )}
    </div>
  );
}
