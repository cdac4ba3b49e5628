import type { Metadata } from "next";
import { forbidden, notFound } from "next/navigation";
import { cache, type ReactNode } from "react";
import { PersonLink } from "@/components/audit/person-link";
import { RecordsMoved, recordCount } from "@/components/audit/records-moved";
import { EventChange } from "@/components/audit/role-change";
import { IntentLink } from "@/components/intent-link";
import { LocalDateTime } from "@/components/local-time";
import { STATUS_LABELS, StatusBadge } from "@/components/ui/status-badge";
import { listAuditEvents } from "@/lib/audit/queries";
import { AUDIT_DEFAULTS, auditActionPast, auditViewQuery, personIdFilter } from "@/lib/audit/view";
import { getDb } from "@/lib/db";
import { formatDateTime, invitationText } from "@/lib/format";
import { requireActor, sessionState } from "@/lib/session";
import { ownedRecordsSummary, userDetail } from "@/lib/users/detail";
import { TAB_LABELS, usersViewQuery } from "@/lib/users/view";
import { can, rankRefusal } from "@/model/permissions";
import { tabOf } from "@/model/statuses";
import { EndSessionsButton } from "./end-sessions-button";
import { TransferWorkspaceButton } from "./transfer-workspace-button";
import { UserActions } from "./user-actions";

type Props = { params: Promise<{ id: string }> };

const HISTORY_LIMIT = 50;
const OWNED_NAMES = 20;

const loadUser = cache(async (id: string) => userDetail(await getDb(), id));

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const state = await sessionState();
  if (state.kind !== "signed-in" || !can(state.actor.role, "users.view")) return {};
  const user = await loadUser((await params).id);
  return { title: user ? user.name : "User not found" };
}

export default async function UserDetailPage({ params }: Props) {
  const actor = await requireActor();
  if (!can(actor.role, "users.view")) forbidden();
  const { id } = await params;
  const user = await loadUser(id);
  if (!user) notFound();

  const db = await getDb();
  const [owned, history] = await Promise.all([
    ownedRecordsSummary(db, user.id, OWNED_NAMES),
    listAuditEvents(db, {
      ...AUDIT_DEFAULTS,
      target: personIdFilter(user.id),
      size: HISTORY_LIMIT,
    }),
  ]);
  const tab = tabOf(user.status);
  const ownsAny = owned.some((o) => o.count > 0);

  return (
    <main className="space-y-8">
      <div>
        <IntentLink
          href={`/users${usersViewQuery({ tab })}`}
          className="text-sm text-indigo-700 hover:underline dark:text-indigo-300"
        >
          <span aria-hidden="true">← </span>
          {TAB_LABELS[tab]} users
        </IntentLink>
        <div className="mt-2 flex flex-wrap items-start justify-between gap-3">
          <div className="min-w-0">
            <h1 className="flex flex-wrap items-center gap-3 text-2xl font-semibold tracking-tight">
              <span className="break-words">{user.name}</span>
              <StatusBadge status={user.status} />
            </h1>
            <p className="mt-1 break-all text-sm text-zinc-600 dark:text-zinc-400">{user.email}</p>
            {user.invitationSentAt && user.invitationExpiresAt ? (
              <p className="mt-1 text-sm text-sky-800 dark:text-sky-300">
                {invitationText(user.invitationSentAt, user.invitationExpiresAt)}
              </p>
            ) : null}
            {user.accessEndsAt ? (
              <p className="mt-1 text-sm text-amber-900 dark:text-amber-200">
                Access ends <LocalDateTime at={new Date(user.accessEndsAt).toISOString()} />: then
                they are deactivated by themselves.
              </p>
            ) : null}
          </div>
          <div className="flex flex-wrap items-center gap-2">
            {can(actor.role, "users.deactivate") && !rankRefusal(actor, user) ? (
              <EndSessionsButton user={{ id: user.id, name: user.name }} />
            ) : null}
            {actor.role === "owner" && actor.id === user.id ? <TransferWorkspaceButton /> : null}
            <UserActions
              actor={{ id: actor.id, role: actor.role }}
              user={{ id: user.id, name: user.name, role: user.role, status: user.status }}
            />
          </div>
        </div>
      </div>

      <section aria-labelledby="profile-heading">
        <h2 id="profile-heading" className="mb-3 text-lg font-semibold">
          Profile
        </h2>
        <dl className="grid grid-cols-1 gap-x-8 gap-y-3 rounded-md border border-zinc-200 p-4 text-sm sm:grid-cols-2 lg:grid-cols-3 dark:border-zinc-800">
          <Field label="Name">{user.name}</Field>
          <Field label="Email">
            <span className="break-all">{user.email}</span>
          </Field>
          <Field label="Role">
            <span className="capitalize">{user.role}</span>
          </Field>
          <Field label="Status">
            <StatusBadge status={user.status} />
          </Field>
          {user.requestMessage ? (
            <Field label="Access request message">
              <span className="whitespace-pre-wrap break-words">{user.requestMessage}</span>
            </Field>
          ) : null}
          {user.status === "archived" ? (
            <Field label="Previous status">
              {user.previousStatus ? STATUS_LABELS[user.previousStatus] : "Unknown"}
            </Field>
          ) : null}
          <Field label="Created">{formatDateTime(user.createdAt)}</Field>
          <Field label="Last sign-in">{formatDateTime(user.lastSignInAt)}</Field>
          {user.statusChangedAt ? (
            <Field label="Status changed">
              {formatDateTime(user.statusChangedAt)}
              {user.statusChangedById ? (
                <>
                  {" by "}
                  <PersonLink
                    person={{
                      id: user.statusChangedById,
                      name: user.statusChangedByName,
                      email: null,
                    }}
                  />
                </>
              ) : null}
            </Field>
          ) : null}
        </dl>
      </section>

      <section aria-labelledby="owned-heading">
        <h2 id="owned-heading" className="mb-3 text-lg font-semibold">
          Owned records
        </h2>
        {ownsAny ? (
          <div className="grid gap-4 sm:grid-cols-2">
            {owned.map((o) => (
              <div
                key={o.kind}
                className="rounded-md border border-zinc-200 p-4 text-sm dark:border-zinc-800"
              >
                <h3 className="mb-2 font-medium capitalize">{recordCount(o.kind, o.count)}</h3>
                {o.records.length > 0 ? (
                  <ul className="list-disc space-y-1 pl-5">
                    {o.records.map((r) => (
                      <li key={r.id}>{r.name}</li>
                    ))}
                  </ul>
                ) : (
                  <p className="text-zinc-600 dark:text-zinc-400">None.</p>
                )}
                {o.count > o.records.length ? (
                  <p className="mt-2 text-zinc-600 dark:text-zinc-400">
                    and {o.count - o.records.length} more
                  </p>
                ) : null}
              </div>
            ))}
          </div>
        ) : (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">Owns no records.</p>
        )}
      </section>

      <section aria-labelledby="history-heading">
        <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="history-heading" className="text-lg font-semibold">
            History
          </h2>
          {history.total.n > 0 ? (
            <IntentLink
              href={`/audit${auditViewQuery({ target: personIdFilter(user.id) })}`}
              className="text-sm text-indigo-700 hover:underline dark:text-indigo-300"
            >
              {history.total.n > history.rows.length
                ? `See all ${history.total.capped ? "1,000+" : history.total.n} events in the audit log`
                : "Open in the audit log"}
            </IntentLink>
          ) : null}
        </div>
        {history.rows.length === 0 ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            No changes recorded for this user yet.
          </p>
        ) : (
          <ol className="relative space-y-5 border-l border-zinc-200 pl-6 dark:border-zinc-800">
            {history.rows.map((e) => (
              <li key={e.id} className="relative text-sm">
                <span
                  aria-hidden="true"
                  className="absolute top-1.5 -left-[1.83rem] size-2.5 rounded-full bg-indigo-500 ring-4 ring-white dark:ring-zinc-950"
                />
                <p>
                  <span className="font-medium">{auditActionPast(e.action)}</span> by{" "}
                  <PersonLink person={e.actor} side="actor" />
                </p>
                <p className="text-xs text-zinc-600 dark:text-zinc-400">
                  <time dateTime={e.at}>{formatDateTime(e.at)}</time>
                </p>
                <div className="mt-1.5 flex flex-wrap items-center gap-x-4 gap-y-1">
                  <EventChange
                    from={e.fromStatus}
                    to={e.toStatus}
                    roles={e.roleChange}
                    accessEnd={e.accessEnd}
                  />
                  {e.recordsMoved ? (
                    <span>
                      Records moved: <RecordsMoved moved={e.recordsMoved} />
                    </span>
                  ) : null}
                </div>
                {e.reason ? (
                  <p className="mt-1.5 text-zinc-700 dark:text-zinc-300">
                    <span className="text-zinc-600 dark:text-zinc-400">Reason:</span> {e.reason}
                  </p>
                ) : null}
              </li>
            ))}
          </ol>
        )}
      </section>
    </main>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium uppercase tracking-wide text-zinc-600 dark:text-zinc-400">
        {label}
      </dt>
      <dd className="mt-0.5">{children}</dd>
    </div>
  );
}
