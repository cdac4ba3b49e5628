import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { type Db, type Executor, queryRows } from "@/db/client";
import { uuidArray } from "@/db/sql";
import { accessRejectedEmail, accessRequestsDigest } from "@/lib/mail/templates";
import { errorFields, log } from "@/lib/ops/log";
import { insertEmails } from "./invitations";

/** At most one digest of new requests an hour, to each admin, manager and the owner. */
export const DIGEST_INTERVAL_MS = 60 * 60_000;
/** Names listed in a digest; the rest are counted. */
const DIGEST_NAMES = 20;

/** Whether an address may ask for access under the workspace's domain allow-list (null: any). */
export function domainAllowed(email: string, domains: readonly string[] | null): boolean {
  if (!domains) return true;
  const domain = email.slice(email.lastIndexOf("@") + 1).toLowerCase();
  return domains.includes(domain);
}

/**
 * "Request access": a new `pending` user with the message, audited as their own request, in one
 * transaction; then a digest to the admins if none went out in the last hour. An address that
 * is already a user (in any status) changes nothing, and the caller answers the same either way.
 */
export async function requestAccess(
  db: Db,
  args: { name: string; email: string; message: string; baseUrl: string; now?: Date },
): Promise<void> {
  const now = args.now ?? new Date();
  const at = now.toISOString();
  const id = randomUUID();
  await db.transaction(async (tx) => {
    const [created] = await queryRows<{ id: string }>(
      tx,
      sql`insert into users (id, name, email, role, status, status_changed_at, status_changed_by, created_at)
          values (${id}::uuid, ${args.name}, ${args.email}, 'member', 'pending', ${at}::timestamptz,
            ${id}::uuid, ${at}::timestamptz)
          on conflict ((lower(email))) do nothing
          returning id`,
    );
    if (!created) return;
    await tx.execute(sql`
      insert into access_requests (user_id, message, created_at)
      values (${created.id}::uuid, ${args.message}, ${at}::timestamptz)`);
    await tx.execute(sql`
      insert into audit_events (at, actor_id, action, target_id, to_status)
      values (${at}::timestamptz, ${created.id}::uuid, 'request-access', ${created.id}::uuid, 'pending')`);
  });
  await sendAccessDigest(db, { baseUrl: args.baseUrl, now });
}

/**
 * Emails each active owner, admin and manager the requests not yet listed in a digest, unless a
 * digest went out less than an hour ago (then the next call after the hour sends them: the
 * server calls this every few minutes). Returns how many emails were queued.
 */
export async function sendAccessDigest(
  db: Db,
  args: { baseUrl: string; now?: Date },
): Promise<number> {
  const now = args.now ?? new Date();
  const at = now.toISOString();
  return db.transaction(async (tx) => {
    // One digest at a time across app instances (PGlite has one connection anyway).
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('roster:access-digest'))`);
    const [last] = await queryRows<{ at: string | Date | null }>(
      tx,
      sql`select max(created_at) as at from outbox where kind = 'access-requests'`,
    );
    if (last?.at && now.getTime() - new Date(last.at).getTime() < DIGEST_INTERVAL_MS) return 0;
    const waiting = await queryRows<{ name: string; email: string; total: number }>(
      tx,
      sql`select u.name, u.email, count(*) over ()::int as total
          from access_requests r join users u on u.id = r.user_id
          where r.digested_at is null and u.status = 'pending'
          order by r.created_at, u.id limit ${DIGEST_NAMES}`,
    );
    const total = Number(waiting[0]?.total ?? 0);
    if (total === 0) return 0;
    const recipients = await queryRows<{ id: string; name: string; email: string }>(
      tx,
      sql`select id, name, email from users
          where status = 'active' and role in ('owner', 'admin', 'manager') order by id`,
    );
    const link = `${args.baseUrl.replace(/\/+$/, "")}/users?tab=pending`;
    const people = waiting.map(({ name, email }) => ({ name, email }));
    await insertEmails(
      tx,
      "access-requests",
      recipients.map((r) => ({
        user_id: r.id,
        to_email: r.email,
        ...accessRequestsDigest({ name: r.name, total, people, link }),
      })),
      now,
    );
    await tx.execute(sql`
      update access_requests set digested_at = ${at}::timestamptz where digested_at is null`);
    return recipients.length;
  });
}

/** "Your request was declined", to each rejected user, in the caller's transaction. */
export async function queueRejections(
  tx: Executor,
  args: { userIds: readonly string[]; now?: Date },
): Promise<void> {
  if (!args.userIds.length) return;
  const people = await queryRows<{ id: string; name: string; email: string }>(
    tx,
    sql`select id, name, email from users
        where id = any(${uuidArray(args.userIds)}) and status = 'rejected'`,
  );
  await insertEmails(
    tx,
    "access-rejected",
    people.map((p) => ({ user_id: p.id, to_email: p.email, ...accessRejectedEmail(p) })),
    args.now ?? new Date(),
  );
}

const DIGEST_POLL_MS = 5 * 60_000;
const globalForDigest = globalThis as unknown as { rosterAccessDigest?: NodeJS.Timeout };

/** Sends the hour's waiting requests when their hour is up: started once per process. */
export function startAccessDigest(options: { getDb: () => Promise<Db>; baseUrl: string }): void {
  if (globalForDigest.rosterAccessDigest) return;
  const timer = setInterval(() => {
    options
      .getDb()
      .then((db) => sendAccessDigest(db, { baseUrl: options.baseUrl }))
      .catch((error) =>
        log().error({ msg: "access request digest failed", ...errorFields(error) }),
      );
  }, DIGEST_POLL_MS);
  timer.unref();
  globalForDigest.rosterAccessDigest = timer;
}
