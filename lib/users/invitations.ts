import { createHash, randomBytes } from "node:crypto";
import { type SQL, sql } from "drizzle-orm";
import { type Db, type Executor, queryRows } from "@/db/client";
import { auditEvents, type UserStatus } from "@/db/schema";
import { idList, jsonRows } from "@/db/sql";
import { resolveAuthSecret } from "@/lib/env";
import { sealTokens, TOKEN_MARK } from "@/lib/mail/sealed-link";
import {
  archivedEmail,
  deactivatedEmail,
  type EmailKind,
  invitationEmails,
  reactivatedEmail,
  restoredEmail,
} from "@/lib/mail/templates";
import { hashPassword } from "@/lib/password";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@/model/limits";
import { INVITABLE_STATUSES } from "@/model/statuses";
import type { NoticeKind } from "@/model/verbs/define";
import { freeSeats } from "./seats";

const INVITATION_TTL_DAYS = 7;

/** Statuses from which accepting an invitation makes a user active. */

export const INVITATION_MESSAGES = {
  unknown:
    "This invitation link isn't valid. Check that you opened the whole link from the email, or ask your workspace admin to send a new one.",
  used: "This invitation has already been used. Sign in instead.",
  expired: "This invitation has expired. Ask your workspace admin to send a new one.",
  "invalid-password": `Use a password of at least ${PASSWORD_MIN_LENGTH} characters.`,
  "no-seat":
    "Your workspace has no free seat right now. Ask your workspace admin to free one, then open this link again.",
  "not-invitable": "This invitation can no longer be used. Ask your workspace admin for help.",
} as const;
type AcceptRefusal = keyof typeof INVITATION_MESSAGES;

export type InvitationState = "valid" | "unknown" | "used" | "expired";

export type AcceptResult =
  | { ok: true; email: string }
  | { ok: false; error: string; code: AcceptRefusal };

export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * 32 random bytes, base64url: what the email carries. The database keeps its hash, and until the
 * email is sent, the token sealed with a key only the app has (lib/mail/sealed-link.ts).
 */
export function newToken(): string {
  return newTokens(1)[0] as string;
}

/** `n` tokens from one draw of random bytes (a batch of invitations). */
function newTokens(n: number): string[] {
  const bytes = randomBytes(32 * n);
  return Array.from({ length: n }, (_, i) =>
    bytes.subarray(32 * i, 32 * i + 32).toString("base64url"),
  );
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Invitation tokens made ahead: each one's hash (the database's) and sealed copy (the email's). */
type ReadyTokens = { hashes: string[]; sealed: string[] };

function readyTokens(n: number): ReadyTokens {
  const tokens = newTokens(n);
  return { hashes: tokens.map(hashToken), sealed: sealTokens(tokens, resolveAuthSecret()) };
}

/**
 * Makes up to `max` tokens while `pending` (a statement in flight) runs, in chunks that let its
 * answer in: Node is otherwise idle then, and a token costs tens of µs (mostly sealing). Tokens
 * not used are dropped; inviteNewUsers makes any more it needs.
 */
export async function tokensWhile(pending: Promise<unknown>, max: number): Promise<ReadyTokens> {
  let settled = false;
  pending.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  const ready: ReadyTokens = { hashes: [], sealed: [] };
  while (ready.hashes.length < max) {
    // Yield first: the statement is sent, and an answer already in stops the work.
    await new Promise((resolve) => setImmediate(resolve));
    if (settled) break;
    const chunk = readyTokens(Math.min(100, max - ready.hashes.length));
    ready.hashes.push(...chunk.hashes);
    ready.sealed.push(...chunk.sealed);
  }
  return ready;
}

function refusal(code: AcceptRefusal): AcceptResult {
  return { ok: false, code, error: INVITATION_MESSAGES[code] };
}

type Person = { id: string; name: string; email: string; status: UserStatus };

/**
 * Ends every open invitation of these users (their links then read as expired). Called by
 * createInvitations, and meant for every change after which an old link must stop working
 * (deactivate, archive, delete).
 */
export async function revokeInvitations(
  tx: Executor,
  userIds: readonly string[],
  now: Date = new Date(),
): Promise<void> {
  if (!userIds.length) return;
  const at = now.toISOString();
  await tx.execute(sql`
    update invitations set expires_at = ${at}::timestamptz
    where used_at is null and expires_at > ${at}::timestamptz and user_id in ${idList(userIds)}`);
}

/**
 * Sends a new invitation to each user (who must be invited or inactive: call it after the status
 * change that makes them so), revoking their older open ones. Set-based: a fixed number of
 * statements whatever the number of users. Run it inside the caller's transaction.
 */
export async function createInvitations(
  tx: Executor,
  args: { userIds: string[]; createdBy: string | null; baseUrl: string; now?: Date },
): Promise<void> {
  const ids = [...new Set(args.userIds)];
  if (!ids.length) return;
  const now = args.now ?? new Date();
  const people = await queryRows<Person>(
    tx,
    sql`select id, name, email, status from users
        where id in ${idList(ids)} or id = ${args.createdBy}::uuid`,
  );
  const byId = new Map(people.map((p) => [p.id, p]));
  const targets = ids.map((id) => byId.get(id));
  const refused = targets.filter((p) => !p || !INVITABLE_STATUSES.includes(p.status)).length;
  if (refused) {
    throw new Error(
      `createInvitations: ${refused} of ${ids.length} users don't exist or are not invited or inactive`,
    );
  }
  const inviterName = (args.createdBy ? byId.get(args.createdBy) : undefined)?.name ?? null;
  await revokeInvitations(tx, ids, now);
  await writeInvitations(tx, {
    people: targets as Person[],
    createdBy: args.createdBy,
    inviterName,
    baseUrl: args.baseUrl,
    now,
  });
}

/**
 * createInvitations for users created earlier in the caller's transaction (Import CSV, Invite):
 * they have no older invitation to revoke, and the caller has their names and addresses (and
 * may have the inviter's name: else it is read).
 */
export async function inviteNewUsers(
  tx: Executor,
  args: {
    people: Person[];
    createdBy: string;
    inviterName?: string | null;
    baseUrl: string;
    now: Date;
    /** Tokens made ahead (tokensWhile), used first. */
    ready?: ReadyTokens;
  },
): Promise<void> {
  if (!args.people.length) return;
  let inviterName = args.inviterName;
  if (inviterName === undefined) {
    const [inviter] = await queryRows<{ name: string }>(
      tx,
      sql`select name from users where id = ${args.createdBy}::uuid`,
    );
    inviterName = inviter?.name ?? null;
  }
  await writeInvitations(tx, { ...args, inviterName });
}

/** The invitations and their emails (one token each), in one statement from one payload. */
async function writeInvitations(
  tx: Executor,
  args: {
    people: Person[];
    createdBy: string | null;
    inviterName: string | null;
    baseUrl: string;
    now: Date;
    ready?: ReadyTokens;
  },
): Promise<void> {
  const { people, now } = args;
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_DAYS * 24 * 60 * 60 * 1000);
  const baseUrl = args.baseUrl.replace(/\/+$/, "");
  // Per person in Node only what must be: a token, its hash and its sealed copy, a greeting.
  const made = args.ready ?? { hashes: [], sealed: [] };
  const more = readyTokens(Math.max(0, people.length - made.hashes.length));
  const hashes = [...made.hashes.slice(0, people.length), ...more.hashes];
  const sealed = [...made.sealed.slice(0, people.length), ...more.sealed];
  const email = invitationEmails({
    inviterName: args.inviterName,
    link: `${baseUrl}/invite/${TOKEN_MARK}`,
    expiresAt,
  });
  // Per person only what differs: the text all share is sent once, and joined in the statement.
  const rows = people.map((p, i) => ({
    u: p.id,
    e: p.email,
    t: hashes[i] as string,
    s: sealed[i] as string,
    g: email.greeting(p.name),
  }));
  const at = now.toISOString();
  // The invitations, and their emails as insertEmails writes them, from one payload parsed once.
  await tx.execute(sql`
    with x as materialized (
      select * from jsonb_to_recordset(${jsonRows(rows)}) as x(u uuid, e text, t text, s text, g text)
    ), invitation as (
      insert into invitations (user_id, token_hash, expires_at, created_by, created_at)
      select x.u, x.t, ${expiresAt.toISOString()}::timestamptz, ${args.createdBy}::uuid, ${at}::timestamptz
      from x
    )
    ${outboxInsert(
      "invitation",
      now,
      sql`select x.u, x.e, ${email.subject}::text, x.g || ${email.rest}::text, x.s from x`,
    )}`);
}

/**
 * The outbox's INSERT of `emails`: a query of (user id, address, subject, body, sealed token) rows,
 * each queued now to be sent.
 */
function outboxInsert(kind: EmailKind, now: Date, emails: SQL): SQL {
  const at = now.toISOString();
  return sql`insert into outbox (user_id, to_email, subject, body, sealed_token, kind, created_at, next_attempt_at)
    select e.user_id, e.to_email, e.subject, e.body, e.sealed_token, ${kind}, ${at}::timestamptz, ${at}::timestamptz
    from (${emails}) as e(user_id, to_email, subject, body, sealed_token)`;
}

export type OutgoingEmail = {
  user_id: string;
  to_email: string;
  subject: string;
  body: string;
  sealed_token?: string;
};

/** One INSERT for every email, written in the caller's transaction (the outbox pattern). */
export async function insertEmails(
  tx: Executor,
  kind: EmailKind,
  emails: OutgoingEmail[],
  now: Date,
): Promise<void> {
  if (!emails.length) return;
  await tx.execute(
    outboxInsert(
      kind,
      now,
      sql`select x.user_id, x.to_email, x.subject, x.body, x.sealed_token
        from json_to_recordset(${JSON.stringify(emails)}::json)
          as x(user_id uuid, to_email text, subject text, body text, sealed_token text)`,
    ),
  );
}

/**
 * Queues a "your account was deactivated / reactivated / restored / archived" email to each
 * user, in the caller's transaction (call it after the status change). Archived and rejected
 * users get no email, but for the one that tells them, as they are archived (seed 004: nothing
 * after it); a deleted user has no row, so nothing either.
 */
export async function queueNotices(
  tx: Executor,
  args: { userIds: string[]; kind: NoticeKind; baseUrl: string; now?: Date },
): Promise<void> {
  const ids = [...new Set(args.userIds)];
  if (!ids.length) return;
  const people = await queryRows<Person>(
    tx,
    sql`select id, name, email, status from users
        where id in ${idList(ids)} and ${
          args.kind === "archived"
            ? sql`status = 'archived'`
            : sql`status not in ('archived', 'rejected')`
        }`,
  );
  const signInUrl = `${args.baseUrl.replace(/\/+$/, "")}/sign-in`;
  const emails = people.map((p) => ({
    user_id: p.id,
    to_email: p.email,
    ...(args.kind === "deactivated"
      ? deactivatedEmail({ name: p.name })
      : args.kind === "archived"
        ? archivedEmail({ name: p.name })
        : args.kind === "reactivated"
          ? reactivatedEmail({ name: p.name, signInUrl })
          : restoredEmail({ name: p.name, canSignIn: p.status === "active", signInUrl })),
  }));
  await insertEmails(tx, args.kind, emails, args.now ?? new Date());
}

type InvitationRow = {
  id: string;
  user_id: string;
  expires_at: string | Date;
  used_at: string | Date | null;
  status: UserStatus;
  email: string;
};

function classify(
  row: InvitationRow | undefined,
  now: Date,
): "valid" | "unknown" | "used" | "expired" | "not-invitable" {
  if (!row) return "unknown";
  if (row.used_at) return "used";
  if (new Date(row.expires_at).getTime() <= now.getTime()) return "expired";
  if (!INVITABLE_STATUSES.includes(row.status)) return "not-invitable";
  return "valid";
}

function stateOf(row: InvitationRow | undefined, now: Date): InvitationState {
  const state = classify(row, now);
  if (state !== "not-invitable") return state;
  // The user moved on (signed up some other way, was archived, …): say what they can do.
  return row?.status === "active" ? "used" : "expired";
}

async function findInvitation(
  db: Executor,
  token: string,
  lock: boolean,
): Promise<InvitationRow | undefined> {
  if (!TOKEN_PATTERN.test(token)) return undefined;
  const [row] = await queryRows<InvitationRow>(
    db,
    sql`select i.id, i.user_id, i.expires_at, i.used_at, u.status, u.email
        from invitations i join users u on u.id = i.user_id
        where i.token_hash = ${hashToken(token)}
        ${lock ? sql`for update of i, u` : sql``}`,
  );
  return row;
}

/** What the invitation page shows for a token, and for whom (the email, when valid). */
export async function inspectInvitation(
  db: Executor,
  token: string,
  now: Date = new Date(),
): Promise<{ state: InvitationState; email: string | null }> {
  const row = await findInvitation(db, token, false);
  const state = stateOf(row, now);
  return { state, email: state === "valid" && row ? row.email : null };
}

export async function invitationState(
  db: Db,
  token: string,
  now: Date = new Date(),
): Promise<InvitationState> {
  return (await inspectInvitation(db, token, now)).state;
}

/**
 * Accepts an invitation: sets the password and makes the user active, in one transaction with
 * the invitation marked used and the audit event. Any refusal changes nothing.
 */
export async function acceptInvitation(
  db: Db,
  args: { token: string; password: string; seatLimit: number; now?: Date },
): Promise<AcceptResult> {
  const now = args.now ?? new Date();
  // A cheap look first, so that a bad link costs no password hashing and no locks.
  const peek = classify(await findInvitation(db, args.token, false), now);
  if (peek !== "valid") return refusal(peek);
  if (args.password.length < PASSWORD_MIN_LENGTH || args.password.length > PASSWORD_MAX_LENGTH) {
    return refusal("invalid-password");
  }
  const passwordHash = await hashPassword(args.password);

  return db.transaction(async (tx) => {
    // The user row, then the seat lock, then the invitation row: the order lifecycle actions
    // keep (they lock users, take the seat lock, then touch invitations; see seats.ts).
    const owner = await findInvitation(tx, args.token, false);
    if (owner) {
      await tx.execute(sql`select id from users where id = ${owner.user_id}::uuid for update`);
    }
    const free = await freeSeats(tx, args.seatLimit);
    const row = await findInvitation(tx, args.token, true);
    const state = classify(row, now);
    if (!row || state !== "valid") return refusal(state === "valid" ? "unknown" : state);
    // An invited user already holds a seat; an inactive one needs a free one.
    if (row.status === "inactive" && free < 1) return refusal("no-seat");

    const at = now.toISOString();
    await tx.execute(sql`
      update users set password_hash = ${passwordHash}, status = 'active',
        status_changed_at = ${at}::timestamptz, status_changed_by = id
      where id = ${row.user_id}::uuid`);
    await tx.execute(
      sql`update invitations set used_at = ${at}::timestamptz where id = ${row.id}::uuid`,
    );
    // Any other open link of theirs must not work later (e.g. after a deactivation).
    await revokeInvitations(tx, [row.user_id], now);
    await tx.insert(auditEvents).values({
      at: now,
      actorId: row.user_id,
      action: "accept-invitation",
      targetId: row.user_id,
      fromStatus: row.status,
      toStatus: "active",
    });
    return { ok: true, email: row.email } as const;
  });
}
