import { sql } from "drizzle-orm";
import { type Db, type Executor, queryRows } from "@/db/client";
import { auditEvents, type UserStatus } from "@/db/schema";
import { uuidArray } from "@/db/sql";
import { resolveAuthSecret } from "@/lib/env";
import { sealToken, TOKEN_MARK } from "@/lib/mail/sealed-link";
import { accessApprovedEmail, passwordResetEmail } from "@/lib/mail/templates";
import { hashPassword } from "@/lib/password";
import { endAllSessions } from "@/lib/sessions";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@/model/limits";
import { hashToken, insertEmails, newToken, TOKEN_PATTERN } from "./invitations";

/** A reset link is short-lived: it stands in for the password. */
export const PASSWORD_RESET_TTL_MINUTES = 60;

/**
 * Why a link to set a password goes out: a reset (asked for, or sent by an admin), or an access
 * request approved (the person has no password yet, and more time to open their email).
 */
const PURPOSES = {
  reset: {
    ttlMinutes: PASSWORD_RESET_TTL_MINUTES,
    kind: "password-reset",
    email: passwordResetEmail,
  },
  approved: { ttlMinutes: 7 * 24 * 60, kind: "access-approved", email: accessApprovedEmail },
} as const;
export type PasswordLinkPurpose = keyof typeof PURPOSES;

/** Only an active user may reset a password: the others can't sign in anyway. */
const RESETTABLE: UserStatus = "active";

export const PASSWORD_RESET_MESSAGES = {
  unknown:
    "This reset link isn't valid. Check that you opened the whole link from the email, or ask for a new one.",
  used: "This reset link has already been used. Sign in, or ask for a new link.",
  expired: "This reset link has expired. Ask for a new one.",
  "invalid-password": `Use a password of at least ${PASSWORD_MIN_LENGTH} characters.`,
} as const;
type ResetRefusal = keyof typeof PASSWORD_RESET_MESSAGES;

export type ResetState = "valid" | "unknown" | "used" | "expired";

export type ResetResult =
  | { ok: true; email: string }
  | { ok: false; error: string; code: ResetRefusal };

type Person = { id: string; name: string; email: string; status: UserStatus };

/**
 * Sends each user (who must be active) a single-use reset link that expires, ending their older
 * open links: the outbox keeps the token sealed until sent, the table only its hash. Set-based,
 * in the caller's transaction. `createdBy` is the admin who sent it, or null when the person
 * asked for it themselves.
 */
export async function createPasswordResets(
  tx: Executor,
  args: {
    userIds: readonly string[];
    createdBy: string | null;
    baseUrl: string;
    now?: Date;
    purpose?: PasswordLinkPurpose;
  },
): Promise<void> {
  const ids = [...new Set(args.userIds)];
  if (!ids.length) return;
  const purpose = PURPOSES[args.purpose ?? "reset"];
  const now = args.now ?? new Date();
  const at = now.toISOString();
  const expiresAt = new Date(now.getTime() + purpose.ttlMinutes * 60_000);
  const people = await queryRows<Person>(
    tx,
    sql`select id, name, email, status from users where id = any(${uuidArray(ids)})`,
  );
  if (people.length !== ids.length || people.some((p) => p.status !== RESETTABLE)) {
    throw new Error("createPasswordResets: every user must exist and be active");
  }
  const secret = resolveAuthSecret();
  const link = `${args.baseUrl.replace(/\/+$/, "")}/reset-password/${TOKEN_MARK}`;
  const rows = people.map((p) => {
    const token = newToken();
    return {
      user_id: p.id,
      to_email: p.email,
      token_hash: hashToken(token),
      sealed_token: sealToken(token, secret),
      ...purpose.email({ name: p.name, link, expiresAt }),
    };
  });
  await revokePasswordResets(tx, ids, now);
  await tx.execute(sql`
    insert into password_resets (user_id, token_hash, expires_at, created_by, created_at)
    select x.user_id, x.token_hash, ${expiresAt.toISOString()}::timestamptz, ${args.createdBy}::uuid, ${at}::timestamptz
    from json_to_recordset(${JSON.stringify(rows.map(({ user_id, token_hash }) => ({ user_id, token_hash })))}::json)
      as x(user_id uuid, token_hash text)`);
  await insertEmails(
    tx,
    purpose.kind,
    rows.map(({ user_id, to_email, subject, body, sealed_token }) => ({
      user_id,
      to_email,
      subject,
      body,
      sealed_token,
    })),
    now,
  );
}

async function revokePasswordResets(tx: Executor, userIds: readonly string[], now: Date) {
  const at = now.toISOString();
  await tx.execute(sql`
    update password_resets set expires_at = ${at}::timestamptz
    where used_at is null and expires_at > ${at}::timestamptz and user_id = any(${uuidArray(userIds)})`);
}

/**
 * "Forgot password?": a link to the active user with this address, if there is one. The caller
 * answers the same whatever happened here (never saying whether the address exists).
 */
export async function requestPasswordReset(
  db: Db,
  args: { email: string; baseUrl: string; now?: Date },
): Promise<void> {
  await db.transaction(async (tx) => {
    const [user] = await queryRows<{ id: string }>(
      tx,
      sql`select id from users where lower(email) = lower(${args.email}) and status = ${RESETTABLE}
          for update`,
    );
    if (!user) return;
    await createPasswordResets(tx, {
      userIds: [user.id],
      createdBy: null,
      baseUrl: args.baseUrl,
      now: args.now,
    });
  });
}

type ResetRow = {
  id: string;
  user_id: string;
  expires_at: string | Date;
  used_at: string | Date | null;
  status: UserStatus;
  email: string;
};

async function findReset(db: Executor, token: string, lock: boolean) {
  if (!TOKEN_PATTERN.test(token)) return undefined;
  const [row] = await queryRows<ResetRow>(
    db,
    sql`select r.id, r.user_id, r.expires_at, r.used_at, u.status, u.email
        from password_resets r join users u on u.id = r.user_id
        where r.token_hash = ${hashToken(token)}
        ${lock ? sql`for update of r, u` : sql``}`,
  );
  return row;
}

/** A link of someone who is no longer active reads as expired: it says nothing of their status. */
function classify(row: ResetRow | undefined, now: Date): ResetState {
  if (!row) return "unknown";
  if (row.used_at) return "used";
  if (new Date(row.expires_at).getTime() <= now.getTime()) return "expired";
  if (row.status !== RESETTABLE) return "expired";
  return "valid";
}

/** What the reset page shows for a token, and for whom (the email, when valid). */
export async function inspectPasswordReset(
  db: Executor,
  token: string,
  now: Date = new Date(),
): Promise<{ state: ResetState; email: string | null }> {
  const row = await findReset(db, token, false);
  const state = classify(row, now);
  return { state, email: state === "valid" && row ? row.email : null };
}

function refusal(code: ResetRefusal): ResetResult {
  return { ok: false, code, error: PASSWORD_RESET_MESSAGES[code] };
}

/**
 * Uses a reset link: the new password, the link used (and any other open one ended), every
 * session of the user ended, and the audit event, in one transaction. A refusal changes nothing.
 */
export async function completePasswordReset(
  db: Db,
  args: { token: string; password: string; now?: Date },
): Promise<ResetResult> {
  const now = args.now ?? new Date();
  // A cheap look first, so that a bad link costs no password hashing and no locks.
  const peek = classify(await findReset(db, args.token, false), now);
  if (peek !== "valid") return refusal(peek);
  if (args.password.length < PASSWORD_MIN_LENGTH || args.password.length > PASSWORD_MAX_LENGTH) {
    return refusal("invalid-password");
  }
  const passwordHash = await hashPassword(args.password);
  return db.transaction(async (tx) => {
    // The user row before the link's row: the lock order of every lifecycle action.
    const first = await findReset(tx, args.token, false);
    if (first) {
      await tx.execute(sql`select id from users where id = ${first.user_id}::uuid for update`);
    }
    const row = await findReset(tx, args.token, true);
    const state = classify(row, now);
    if (!row || state !== "valid") return refusal(state === "valid" ? "unknown" : state);
    const at = now.toISOString();
    await tx.execute(
      sql`update users set password_hash = ${passwordHash} where id = ${row.user_id}::uuid`,
    );
    await tx.execute(
      sql`update password_resets set used_at = ${at}::timestamptz where id = ${row.id}::uuid`,
    );
    await revokePasswordResets(tx, [row.user_id], now);
    // Whoever knew the old password is signed out everywhere.
    await endAllSessions(tx, [row.user_id]);
    await tx.insert(auditEvents).values({
      at: now,
      actorId: row.user_id,
      action: "reset-password",
      targetId: row.user_id,
      fromStatus: row.status,
      toStatus: row.status,
    });
    return { ok: true, email: row.email } as const;
  });
}
