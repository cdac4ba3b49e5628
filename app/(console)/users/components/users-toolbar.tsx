"use client";

import { ChevronDown, Download, X } from "lucide-react";
import { useQueryStates } from "nuqs";
import { usePendingNavigation } from "@/components/data-table/pending";
import { CONTROL, DataTableSearch, DataTableToolbar } from "@/components/data-table/toolbar";
import {
  DropdownMenu,
  DropdownMenuCheckboxItem,
  DropdownMenuContent,
  DropdownMenuLabel,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { type DormantFilter, describeDormantFilter } from "@/lib/policies/dormant-filter";
import { calendarDay } from "@/lib/url";
import {
  type UsersView,
  usersViewParsers,
  usersViewQuery,
  usersViewUrlKeys,
} from "@/lib/users/view";
import { ROLE_LABELS, USER_ROLES, type UserRole } from "@/model/roles";

const BUTTON = `${CONTROL} inline-flex items-center justify-center gap-1.5 whitespace-nowrap font-medium hover:bg-zinc-50 dark:hover:bg-zinc-800`;

type Filter = Pick<
  UsersView,
  "q" | "roles" | "neverSignedIn" | "lastSignInBefore" | "accessEnding" | "dormant"
>;

function hasFilters(view: Filter): boolean {
  return Boolean(
    view.q ||
      view.roles.length ||
      view.neverSignedIn ||
      view.lastSignInBefore ||
      view.accessEnding ||
      view.dormant,
  );
}

/**
 * The search and filters of the users table, in the URL through nuqs: each change goes to the
 * server as a new view (back to its first page), in the page's shared transition.
 */
export function UsersToolbar({ canExport }: { canExport: boolean }) {
  const { pending, startTransition } = usePendingNavigation();
  const [view, setView] = useQueryStates(usersViewParsers, {
    urlKeys: usersViewUrlKeys,
    shallow: false,
    scroll: false,
    history: "push",
    startTransition,
  });

  const go = (change: Partial<Filter>) => {
    void setView({ ...change, cursor: null });
  };

  // Without JavaScript the search box is a GET form carrying the rest of the view.
  const kept = [...new URLSearchParams(usersViewQuery({ ...view, q: "", cursor: null }).slice(1))];
  const exportQuery = usersViewQuery({
    tab: view.tab,
    q: view.q,
    roles: view.roles,
    neverSignedIn: view.neverSignedIn,
    lastSignInBefore: view.lastSignInBefore,
    accessEnding: view.accessEnding,
    dormant: view.dormant,
    sort: view.sort,
    dir: view.dir,
  });

  return (
    <DataTableToolbar busy={pending}>
      <DataTableSearch
        id="users-search"
        label="Search users"
        name="q"
        action="/users"
        value={view.q}
        hidden={kept}
        busy={pending}
        placeholder="Search by name or email"
        onSearch={(q) => go({ q })}
      />

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

      <label className="flex h-9 items-center gap-2 text-sm">
        <input
          type="checkbox"
          checked={view.accessEnding}
          onChange={(e) => go({ accessEnding: e.target.checked })}
          className="size-4 rounded border-zinc-300 accent-indigo-600 dark:border-zinc-700"
        />
        Access ending in the next 30 days
      </label>

      <label className="flex items-center gap-2 text-sm">
        <span className="whitespace-nowrap">Last sign-in before</span>
        <input
          type="date"
          value={view.lastSignInBefore ?? ""}
          min="1000-01-01"
          max="9999-12-31"
          onChange={(e) => {
            const v = e.target.value;
            if (v === "" || calendarDay(v)) go({ lastSignInBefore: v || null });
          }}
          className={CONTROL}
        />
      </label>

      {view.dormant ? (
        <DormantChip filter={view.dormant} onRemove={() => go({ dormant: null })} />
      ) : null}

      {hasFilters(view) ? (
        <button
          type="button"
          onClick={() =>
            go({
              q: "",
              roles: [],
              neverSignedIn: false,
              lastSignInBefore: null,
              accessEnding: false,
              dormant: null,
            })
          }
          className="h-9 rounded-md px-2 text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300"
        >
          Clear filters
        </button>
      ) : null}

      {canExport ? (
        <a href={`/users/export${exportQuery}`} download className={`${BUTTON} sm:ml-auto`}>
          <Download aria-hidden="true" className="size-4" />
          Export CSV
        </a>
      ) : null}
    </DataTableToolbar>
  );
}

/**
 * The dormant-user policy's filter (the link of its preview on /settings), which has no control
 * of its own: a chip that says why the list is narrowed, and removes it.
 */
function DormantChip({ filter, onRemove }: { filter: DormantFilter; onRemove: () => void }) {
  return (
    <span className="inline-flex min-h-9 max-w-full items-center gap-1 rounded-md border border-indigo-200 bg-indigo-50 py-1 pr-1 pl-2.5 text-sm text-indigo-900 dark:border-indigo-800 dark:bg-indigo-950 dark:text-indigo-100">
      <span>{describeDormantFilter(filter)}</span>
      <button
        type="button"
        onClick={onRemove}
        aria-label="Remove the dormant-user filter"
        title="Remove the dormant-user filter"
        className="inline-flex size-7 shrink-0 items-center justify-center rounded hover:bg-indigo-100 dark:hover:bg-indigo-900"
      >
        <X aria-hidden="true" className="size-4" />
      </button>
    </span>
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
        <ChevronDown aria-hidden="true" className="size-4 shrink-0" />
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start">
        <DropdownMenuLabel>Show roles</DropdownMenuLabel>
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
