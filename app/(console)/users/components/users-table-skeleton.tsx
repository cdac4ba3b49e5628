/** Same boxes and heights as the loaded table (bar, header, rows, pagination): nothing jumps. */
export function UsersTableSkeleton({ rows }: { rows: number }) {
  const count = Math.max(rows, 1);
  return (
    <div role="status" aria-busy="true" aria-label="Loading users">
      <div className="mb-2 flex min-h-12 items-center border border-transparent px-3 py-1.5">
        <div className="h-3 w-20 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
        <div className="ml-auto h-8 w-24 animate-pulse rounded-md bg-zinc-100 dark:bg-zinc-900" />
      </div>
      <div className="overflow-hidden rounded-lg border border-zinc-200 dark:border-zinc-800">
        <div className="h-10 bg-zinc-50 dark:bg-zinc-900" />
        {Array.from({ length: count }, (_, i) => `skeleton-${i}`).map((id) => (
          <div
            key={id}
            className="flex h-12 items-center gap-6 border-t border-zinc-100 px-3 dark:border-zinc-800/70"
          >
            <div className="size-4 rounded bg-zinc-200 dark:bg-zinc-800" />
            <div className="h-3 w-32 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
            <div className="h-3 w-52 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
            <div className="h-3 w-14 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
            <div className="h-5 w-14 animate-pulse rounded-full bg-zinc-200 dark:bg-zinc-800" />
            <div className="h-3 w-20 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
          </div>
        ))}
      </div>
      <div className="mt-3 h-9" />
    </div>
  );
}
