import { sql } from "drizzle-orm";
import { type Executor, queryRows } from "@/db/client";
import type { UserStatus } from "@/db/schema";
import { hashPassword, needsRehash, verifyPassword } from "./password";
import { createSession } from "./sessions";
import { type SignInMessageCode, signInRefusalCode } from "./sign-in-messages";
import {
  ACCOUNT_RULE,
  ADDRESS_RULE,
  type AttemptKeys,
  releaseAttempt,
  takeAttempt,
  throttleKey,
} from "./throttle";

type SignedIn = {
  id: string;
  name: string;
  email: string;
  sessionVersion: number;
  sessionId: string;
};

export type AuthenticateResult =
  | { ok: true; user: SignedIn }
  | { ok: false; code: SignInMessageCode }
  | { ok: false; code: "throttled"; retryAfterSeconds: number };

/** The keys a sign-in attempt is counted under: the account asked for and the client's address. */
function signInKeys(email: string, address: string): AttemptKeys {
  return {
    account: throttleKey("account", email, ACCOUNT_RULE),
    address: throttleKey("address", address, ADDRESS_RULE),
  };
}

type Row = {
  id: string;
  name: string;
  email: string;
  status: UserStatus;
  password_hash: string | null;
  session_version: number;
};

/**
 * Checks an email and password. Guessing is throttled per account and per address before the
 * password is even looked at, and the answer is the same whether or not the account exists.
 * A right password clears the account's failures, upgrades an old hash and opens a session.
 */
export async function authenticate(
  db: Executor,
  input: { email: string; password: string; address: string },
  options: { now?: Date; verify?: typeof verifyPassword } = {},
): Promise<AuthenticateResult> {
  const now = options.now ?? new Date();
  const verify = options.verify ?? verifyPassword;
  const keys = signInKeys(input.email, input.address);
  const gate = await takeAttempt(db, keys, now);
  if (!gate.ok) return { ok: false, code: "throttled", retryAfterSeconds: gate.retryAfterSeconds };

  const [user] = await queryRows<Row>(
    db,
    sql`select id, name, email, status, password_hash, session_version from users
        where lower(email) = ${input.email} limit 1`,
  );
  // Check the password before saying anything about the account.
  const valid = await verify(input.password, user?.password_hash ?? null);
  if (!user || !valid) return { ok: false, code: "invalid" };
  await releaseAttempt(db, keys);
  const refusal = signInRefusalCode(user.status);
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
    user: {
      id: user.id,
      name: user.name,
      email: user.email,
      sessionVersion: Number(user.session_version),
      sessionId,
    },
  };
}
