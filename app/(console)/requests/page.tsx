import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { getDb } from "@/lib/db";
import { formatCount } from "@/lib/format";
import { requireActor } from "@/lib/session";
import {
  DELETION_REQUEST_DAYS,
  listPendingDeletionRequests,
  pendingDeletionRequests,
  REQUESTS_SHOWN,
} from "@/lib/users/deletion-requests";
import { workspaceSettings } from "@/lib/workspace-settings";
import { can } from "@/model/permissions";
import { RequestCard } from "./request-card";

export const metadata: Metadata = { title: "Requests" };

/** Deletion requests waiting for a second admin (four-eyes delete), oldest first. */
export default async function RequestsPage() {
  const actor = await requireActor();
  if (!can(actor.role, "users.delete")) forbidden();
  const db = await getDb();
  const [requests, { deleteApproval }] = await Promise.all([
    listPendingDeletionRequests(db),
    workspaceSettings(db),
  ]);
  // A full page: say how many wait in all, rather than let the list pass for all of them.
  const waiting =
    requests.length >= REQUESTS_SHOWN ? await pendingDeletionRequests(db) : requests.length;
  return (
    <main className="max-w-3xl space-y-4">
      <div>
        <h1 className="mb-1 text-2xl font-semibold tracking-tight">Requests</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {deleteApproval
            ? "Deleting users needs a second admin's approval: another admin or the owner approves or declines each request, never the person who asked."
            : "Deleting users doesn't need approval now (Settings, Deletion approval); requests made before still wait here."}{" "}
          Requests expire after {DELETION_REQUEST_DAYS} days.
        </p>
      </div>
      {requests.length === 0 ? (
        <p className="rounded-lg border border-zinc-200 p-4 text-sm dark:border-zinc-800">
          No deletion requests are waiting.
        </p>
      ) : (
        <>
          {waiting > requests.length ? (
            <p className="text-sm" role="status">
              The oldest {formatCount(requests.length)} of {formatCount(waiting)} waiting requests
              are shown: approve or decline these to see the rest.
            </p>
          ) : null}
          <ul className="space-y-3" aria-label="Deletion requests">
            {requests.map((r) => (
              <li key={r.id}>
                <RequestCard request={r} own={r.requestedBy?.id === actor.id} />
              </li>
            ))}
          </ul>
        </>
      )}
    </main>
  );
}
