import { randomBytes, timingSafeEqual } from "node:crypto";
import { sql } from "drizzle-orm";
import { type Executor, queryRows } from "@/db/client";
import type { UserStatus } from "@/db/schema";
import { hashPassword, needsRehash, verifyPassword } from "./password";
import { serverMac } from "./security/keys";
import { createSession } from "./sessions";
import { accessEndRefusal, type RefusalCode, signInRefusalCode } from "./sign-in-messages";
import {
  ACCOUNT_RULE,
  ADDRESS_RULE,
  type AttemptKeys,
  accountKey,
  GUESS_RULE,
  releaseAttempt,
  takeAttempt,
  throttleKey,
} from "./throttle";
import { statusEndSql } from "./users/status-end";

type SignedIn = {
  id: string;
  name: string;
  email: string;
  sessionVersion: number;
  sessionId: string;
};

export type AuthenticateResult =
  | { ok: true; user: SignedIn; device: string }
  | { ok: false; code: RefusalCode }
  | { ok: false; code: "throttled"; retryAfterSeconds: number };

/**
 * Device cookies (OWASP): a browser that signed in to an account holds `nonce.version.mac`, a MAC
 * with the server's secret over the account, a random nonce and the account's session version.
 * From that browser, sign-in to that account is counted against the device alone: others'
 * guesses, from any address, never lock its owner out. Every other browser is counted per
 * account and address (blocked for a while after 5 failures: the guesser's address, not the
 * owner's), per address across accounts, and per account across addresses (a backstop that only
 * slows: see `ACCOUNT_RULE`). Whatever ends all of a user's sessions at once (sign out
 * everywhere, End sessions, a password reset) moves the session version on: their device tokens
 * count as none from then on, until the next sign-in issues a new one.
 */
export const DEVICE_COOKIE = "roster-device";
export const DEVICE_MAX_AGE_SECONDS = 180 * 24 * 60 * 60;

function deviceMac(email: string, nonce: string, version: number): string {
  return serverMac("device cookie", `${email}\n${nonce}\n${version}`).toString("base64url");
}

function issueDevice(email: string, version: number): string {
  const nonce = randomBytes(16).toString("base64url");
  return `${nonce}.${version}.${deviceMac(email, nonce, version)}`;
}

/**
 * The device's nonce when the token is this account's, genuine and issued since its sessions
 * last ended all at once; else null.
 */
async function deviceNonce(
  db: Executor,
  email: string,
  token: string | null | undefined,
): Promise<string | null> {
  const [nonce, versionText, mac, ...rest] = (token ?? "").split(".");
  if (!nonce || !versionText || !mac || rest.length) return null;
  if (!/^[\w-]{22}$/.test(nonce) || !/^\d{1,9}$/.test(versionText)) return null;
  const version = Number(versionText);
  const expected = Buffer.from(deviceMac(email, nonce, version));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  const [user] = await queryRows<{ session_version: number }>(
    db,
    sql`select session_version from users where lower(email) = ${email} limit 1`,
  );
  return user && Number(user.session_version) === version ? nonce : null;
}

/**
 * The keys a sign-in attempt is counted under: from a known device, the device alone; else the
 * account from this address, the address across accounts and the account across addresses.
 */
function signInKeys(email: string, address: string, device: string | null): AttemptKeys {
  if (device) return { own: accountKey("device", email, device, GUESS_RULE), shared: [] };
  return {
    own: accountKey("pair", email, address, GUESS_RULE),
    shared: [
      throttleKey("address", address, ADDRESS_RULE),
      throttleKey("account", email, ACCOUNT_RULE),
    ],
  };
}

type Row = {
  id: string;
  name: string;
  email: string;
  status: UserStatus;
  ends_at: string | null;
  access_ends_at: string | null;
  password_hash: string | null;
  session_version: number;
};

/**
 * Checks an email and password. Guessing is throttled (per account and address, per address,
 * per account; or per device) before the password is even looked at, and the answer is the same
 * whether or not the account exists. A right password clears the failures of the account from
 * this address or device, upgrades an old hash and opens a session.
 */
export async function authenticate(
  db: Executor,
  input: { email: string; password: string; address: string; device?: string | null },
  options: { now?: Date; verify?: typeof verifyPassword } = {},
): Promise<AuthenticateResult> {
  const now = options.now ?? new Date();
  const verify = options.verify ?? verifyPassword;
  const device = await deviceNonce(db, input.email, input.device);
  const keys = signInKeys(input.email, input.address, device);
  const gate = await takeAttempt(db, keys, now);
  if (!gate.ok) return { ok: false, code: "throttled", retryAfterSeconds: gate.retryAfterSeconds };

  const [user] = await queryRows<Row>(
    db,
    sql`select id, name, email, status, ${statusEndSql("users")} as ends_at, access_ends_at, password_hash,
          session_version from users
        where lower(email) = ${input.email} limit 1`,
  );
  // Check the password before saying anything about the account.
  const valid = await verify(input.password, user?.password_hash ?? null);
  if (!user || !valid) return { ok: false, code: "invalid" };
  await releaseAttempt(db, keys);
  const refusal =
    signInRefusalCode(user.status, { until: user.ends_at }) ??
    accessEndRefusal(user.access_ends_at, now);
  if (refusal) return { ok: false, code: refusal };

  if (user.password_hash && needsRehash(user.password_hash)) {
    const upgraded = await hashPassword(input.password);
    await db.execute(sql`update users set password_hash = ${upgraded}
      where id = ${user.id}::uuid and password_hash = ${user.password_hash}`);
  }
  await db.execute(
    sql`update users set last_sign_in_at = ${now.toISOString()}::timestamptz where id = ${user.id}::uuid`,
  );
  const sessionId = await createSession(db, user.id, now);
  return {
    ok: true,
    device: issueDevice(input.email, Number(user.session_version)),
    user: {
      id: user.id,
      name: user.name,
      email: user.email,
      sessionVersion: Number(user.session_version),
      sessionId,
    },
  };
}
