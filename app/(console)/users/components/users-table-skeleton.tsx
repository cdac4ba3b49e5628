export function UsersTableSkeleton({ rows }: { rows: number }) {
  return (
    <div
      role="status"
      aria-busy="true"
      aria-label="Loading users"
      className="overflow-hidden rounded-md border border-zinc-200 dark:border-zinc-800"
    >
      <div className="h-10 border-b border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900" />
      {Array.from({ length: rows }, (_, i) => `skeleton-${i}`).map((id) => (
        <div
          key={id}
          className="flex h-12 items-center gap-4 border-b border-zinc-100 px-4 last:border-0 dark:border-zinc-900"
        >
          <div className="h-3 w-40 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
          <div className="h-3 w-56 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
          <div className="h-3 w-16 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
        </div>
      ))}
    </div>
  );
}
