import type { UsersView } from "@/lib/users/view";

/** A plain GET form: works without JavaScript, and the URL stays the whole state. */
export function UsersToolbar({ view }: { view: UsersView }) {
  return (
    <search>
      <form method="get" action="/users" className="mb-4 flex flex-wrap items-center gap-2">
        {view.tab !== "active" ? <input type="hidden" name="tab" value={view.tab} /> : null}
        <input type="hidden" name="size" value={view.size} />
        <label htmlFor="users-search" className="sr-only">
          Search users
        </label>
        <input
          id="users-search"
          name="q"
          type="search"
          defaultValue={view.q}
          placeholder="Search by name or email"
          className="w-72 max-w-full rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900"
        />
        <button
          type="submit"
          className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-900"
        >
          Search
        </button>
      </form>
    </search>
  );
}
