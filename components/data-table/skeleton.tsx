/** Widths of the placeholder bars, one per column; cycled when there are more columns. */
const BARS = ["w-32", "w-52", "w-14", "w-16", "w-20", "w-12"];

/** Same boxes and heights as the loaded table (bar, header, rows, pager): nothing jumps. */
export function DataTableSkeleton({
  rows,
  columns = 5,
  label,
  toolbar = true,
}: {
  rows: number;
  columns?: number;
  label: string;
  toolbar?: boolean;
}) {
  const count = Math.max(rows, 1);
  return (
    <div role="status" aria-busy="true" aria-label={label}>
      {toolbar ? (
        <div className="mb-2 flex min-h-12 items-center border border-transparent px-3 py-1.5">
          <div className="h-3 w-20 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
          <div className="ml-auto h-8 w-24 animate-pulse rounded-md bg-zinc-100 dark:bg-zinc-900" />
        </div>
      ) : null}
      <div className="overflow-hidden rounded-lg border border-zinc-200 dark:border-zinc-800">
        <div className="h-10 bg-zinc-50 max-sm:hidden dark:bg-zinc-900" />
        {Array.from({ length: count }, (_, i) => `skeleton-${i}`).map((id) => (
          <div
            key={id}
            className="flex h-12 items-center gap-6 border-t border-zinc-100 px-3 first:border-t-0 sm:first:border-t dark:border-zinc-800/70"
          >
            {Array.from({ length: columns }, (_, c) => `${id}-${c}`).map((cell, c) => (
              <div
                key={cell}
                className={`h-3 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800 ${BARS[c % BARS.length]} ${c > 1 ? "max-sm:hidden" : ""}`}
              />
            ))}
          </div>
        ))}
      </div>
      <div className="mt-3 h-9" />
    </div>
  );
}
