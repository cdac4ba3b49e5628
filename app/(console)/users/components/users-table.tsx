"use client";

import { createColumnHelper, tableFeatures, useTable } from "@tanstack/react-table";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { StatusBadge } from "@/components/ui/status-badge";
import { formatDate } from "@/lib/format";
import type { UserRow } from "@/lib/users/queries";
import { PAGE_SIZES, type SortColumn, type UsersView, usersViewQuery } from "@/lib/users/view";

const features = tableFeatures({});
const column = createColumnHelper<typeof features, UserRow>();

const SORTABLE: Partial<Record<string, SortColumn>> = {
  name: "name",
  email: "email",
  role: "role",
  lastSignInAt: "lastSignIn",
  createdAt: "created",
};

const columns = column.columns([
  column.accessor("name", {
    header: "Name",
    cell: (info) => (
      <Link href={`/users/${info.row.original.id}`} className="font-medium hover:underline">
        {info.getValue()}
      </Link>
    ),
  }),
  column.accessor("email", { header: "Email" }),
  column.accessor("role", {
    header: "Role",
    cell: (info) => <span className="capitalize">{info.getValue()}</span>,
  }),
  column.accessor("status", {
    header: "Status",
    cell: (info) => <StatusBadge status={info.getValue()} />,
  }),
  column.accessor("lastSignInAt", {
    header: "Last sign-in",
    cell: (info) => formatDate(info.getValue()),
  }),
  column.accessor("createdAt", { header: "Created", cell: (info) => formatDate(info.getValue()) }),
]);

export function UsersTable({
  view,
  rows,
  total,
}: {
  view: UsersView;
  rows: UserRow[];
  total: number;
}) {
  const router = useRouter();
  const table = useTable({ features, columns, data: rows, getRowId: (row) => row.id });
  const pageCount = Math.max(1, Math.ceil(total / view.size));
  const first = total === 0 ? 0 : (view.page - 1) * view.size + 1;
  const last = Math.min(total, view.page * view.size);

  if (rows.length === 0) {
    return (
      <div className="rounded-md border border-dashed border-zinc-300 p-10 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
        No users match this view.
      </div>
    );
  }

  return (
    <div>
      <div className="overflow-x-auto rounded-md border border-zinc-200 dark:border-zinc-800">
        <table className="w-full text-left text-sm">
          <thead className="bg-zinc-50 text-xs uppercase tracking-wide text-zinc-600 dark:bg-zinc-900 dark:text-zinc-400">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const sortKey = SORTABLE[header.column.id];
                  const active = sortKey === view.sort;
                  const ariaSort = active
                    ? view.dir === "asc"
                      ? "ascending"
                      : "descending"
                    : undefined;
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      aria-sort={ariaSort}
                      className="px-4 py-2 font-medium"
                    >
                      {sortKey ? (
                        <Link
                          href={`/users${usersViewQuery({
                            ...view,
                            sort: sortKey,
                            dir: active && view.dir === "asc" ? "desc" : "asc",
                            page: 1,
                          })}`}
                          className="inline-flex items-center gap-1 hover:text-zinc-900 dark:hover:text-zinc-100"
                        >
                          <table.FlexRender header={header} />
                          <span aria-hidden="true">
                            {active ? (view.dir === "asc" ? "▲" : "▼") : ""}
                          </span>
                        </Link>
                      ) : (
                        <table.FlexRender header={header} />
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {table.getRowModel().rows.map((row) => (
              <tr
                key={row.id}
                className="border-t border-zinc-100 hover:bg-zinc-50 dark:border-zinc-900 dark:hover:bg-zinc-900/50"
              >
                {row.getAllCells().map((cell) => (
                  <td key={cell.id} className="whitespace-nowrap px-4 py-2.5">
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav
        aria-label="Pagination"
        className="mt-3 flex flex-wrap items-center justify-between gap-3 text-sm"
      >
        <p className="text-zinc-600 dark:text-zinc-400">
          {first}–{last} of {total}
        </p>
        <div className="flex items-center gap-3">
          <label className="flex items-center gap-2">
            Rows per page
            <select
              value={view.size}
              onChange={(e) =>
                router.push(
                  `/users${usersViewQuery({ ...view, size: Number(e.target.value), page: 1 })}`,
                )
              }
              className="rounded-md border border-zinc-300 bg-white px-2 py-1 dark:border-zinc-700 dark:bg-zinc-900"
            >
              {PAGE_SIZES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <span>
            Page {view.page} of {pageCount}
          </span>
          <PageLink
            view={view}
            page={view.page - 1}
            disabled={view.page <= 1}
            label="Previous page"
          />
          <PageLink
            view={view}
            page={view.page + 1}
            disabled={view.page >= pageCount}
            label="Next page"
          />
        </div>
      </nav>
    </div>
  );
}

function PageLink({
  view,
  page,
  disabled,
  label,
}: {
  view: UsersView;
  page: number;
  disabled: boolean;
  label: string;
}) {
  const cls = "rounded-md border border-zinc-300 px-3 py-1 dark:border-zinc-700";
  if (disabled) {
    return (
      <span aria-disabled="true" className={`${cls} opacity-50`}>
        {label}
      </span>
    );
  }
  return (
    <Link
      href={`/users${usersViewQuery({ ...view, page })}`}
      className={`${cls} hover:bg-zinc-50 dark:hover:bg-zinc-900`}
    >
      {label}
    </Link>
  );
}
