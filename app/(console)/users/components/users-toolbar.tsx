"use client";

import { useRouter } from "next/navigation";
import { useOptimistic, useTransition } from "react";
import {
  DropdownMenu,
  DropdownMenuCheckboxItem,
  DropdownMenuContent,
  DropdownMenuLabel,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { USER_ROLES, type UserRole } from "@/db/schema";
import { type UsersView, usersViewQuery } from "@/lib/users/view";

const CONTROL =
  "h-9 rounded-md border border-zinc-300 bg-white px-3 text-sm text-zinc-900 shadow-sm dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100";
const BUTTON = `${CONTROL} inline-flex items-center justify-center gap-1.5 whitespace-nowrap font-medium hover:bg-zinc-50 dark:hover:bg-zinc-800`;

const ROLE_LABELS: Record<UserRole, string> = {
  owner: "Owner",
  admin: "Admin",
  manager: "Manager",
  support: "Support",
  member: "Member",
};

function hasFilters(view: UsersView): boolean {
  return Boolean(view.q || view.roles.length || view.neverSignedIn || view.lastSignInBefore);
}

/** The search and filters of the users table; every change is a new URL (page back to 1). */
export function UsersToolbar({
  view: current,
  canExport,
}: {
  view: UsersView;
  canExport: boolean;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  // The controls show the new filter at once, while the page for it loads.
  const [view, setView] = useOptimistic(current);

  const go = (change: Partial<UsersView>) => {
    const next = { ...view, ...change, cursor: undefined };
    startTransition(() => {
      setView(next);
      router.push(`/users${usersViewQuery(next)}`);
    });
  };

  // The search form carries the rest of the view as hidden fields: it works without JavaScript.
  const kept = [
    ...new URLSearchParams(usersViewQuery({ ...view, q: "", cursor: undefined }).slice(1)),
  ];
  const exportQuery = usersViewQuery({
    tab: view.tab,
    q: view.q,
    roles: view.roles,
    neverSignedIn: view.neverSignedIn,
    lastSignInBefore: view.lastSignInBefore,
    sort: view.sort,
    dir: view.dir,
  });

  return (
    <search aria-busy={pending} className="mb-4 flex flex-wrap items-end gap-x-3 gap-y-2">
      <form method="get" action="/users" className="flex min-w-0 max-w-full items-center gap-2">
        {kept.map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <label htmlFor="users-search" className="sr-only">
          Search users
        </label>
        <input
          id="users-search"
          key={view.q}
          name="q"
          type="search"
          defaultValue={view.q}
          placeholder="Search by name or email"
          className={`${CONTROL} w-64 min-w-0 max-w-full`}
        />
        <button type="submit" className={BUTTON}>
          Search
        </button>
      </form>

      <RoleFilter roles={view.roles} onChange={(roles) => go({ roles })} />

      <label className="flex h-9 items-center gap-2 text-sm">
        <input
          type="checkbox"
          checked={view.neverSignedIn}
          onChange={(e) => go({ neverSignedIn: e.target.checked })}
          className="size-4 rounded border-zinc-300 accent-indigo-600 dark:border-zinc-700"
        />
        Never signed in
      </label>

      <label className="flex items-center gap-2 text-sm">
        <span className="whitespace-nowrap">Last sign-in before</span>
        <input
          type="date"
          value={view.lastSignInBefore ?? ""}
          max="9999-12-31"
          onChange={(e) => {
            const v = e.target.value;
            if (v === "" || /^\d{4}-\d{2}-\d{2}$/.test(v)) go({ lastSignInBefore: v || null });
          }}
          className={CONTROL}
        />
      </label>

      {hasFilters(view) ? (
        <button
          type="button"
          onClick={() => go({ q: "", roles: [], neverSignedIn: false, lastSignInBefore: null })}
          className="h-9 rounded-md px-2 text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300"
        >
          Clear filters
        </button>
      ) : null}

      {canExport ? (
        <a href={`/users/export${exportQuery}`} download className={`${BUTTON} sm:ml-auto`}>
          <DownloadIcon />
          Export CSV
        </a>
      ) : null}
    </search>
  );
}

function RoleFilter({
  roles,
  onChange,
}: {
  roles: readonly UserRole[];
  onChange: (roles: UserRole[]) => void;
}) {
  const summary = roles.length ? `: ${roles.map((r) => ROLE_LABELS[r]).join(", ")}` : "";
  return (
    <DropdownMenu>
      <DropdownMenuTrigger
        className={`${BUTTON} max-w-full data-[state=open]:bg-zinc-100 dark:data-[state=open]:bg-zinc-800`}
      >
        <span className="truncate">Role{summary}</span>
        <svg viewBox="0 0 16 16" aria-hidden="true" className="size-4 shrink-0 fill-current">
          <path d="M4.5 6l3.5 4 3.5-4z" />
        </svg>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start">
        <DropdownMenuLabel className="text-zinc-600">Show roles</DropdownMenuLabel>
        {USER_ROLES.map((role) => (
          <DropdownMenuCheckboxItem
            key={role}
            checked={roles.includes(role)}
            // Stay open: people often pick more than one.
            onSelect={(e) => e.preventDefault()}
            onCheckedChange={(checked) =>
              onChange(
                USER_ROLES.filter((r) => (r === role ? checked === true : roles.includes(r))),
              )
            }
          >
            {ROLE_LABELS[role]}
          </DropdownMenuCheckboxItem>
        ))}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}

function DownloadIcon() {
  return (
    <svg viewBox="0 0 16 16" aria-hidden="true" className="size-4 fill-none stroke-current">
      <path
        d="M8 2.5v7m0 0L5 6.5m3 3l3-3M3 11.5v1.5h10v-1.5"
        strokeWidth="1.5"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
