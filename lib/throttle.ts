import { createHash } from "node:crypto";
import { type SQL, sql } from "drizzle-orm";
import { type Executor, queryRows } from "@/db/client";

/**
 * Growing delays for guessing: `free` failures are evaluated at once, then each failure blocks
 * the key for `baseSeconds`, doubling up to `maxSeconds`. A key forgets its failures after
 * `forgetSeconds` without one.
 */
export type ThrottleRule = {
  free: number;
  baseSeconds: number;
  maxSeconds: number;
  forgetSeconds: number;
};

/** One account (an email, whether or not it exists). */
export const ACCOUNT_RULE: ThrottleRule = {
  free: 5,
  baseSeconds: 60,
  maxSeconds: 15 * 60,
  forgetSeconds: 60 * 60,
};

/** One client address, across accounts and invitations: spraying one password at many accounts. */
export const ADDRESS_RULE: ThrottleRule = {
  free: 20,
  baseSeconds: 60,
  maxSeconds: 15 * 60,
  forgetSeconds: 60 * 60,
};

export type ThrottleKey = { key: string; rule: ThrottleRule };

/**
 * The stored key: a hash, so that the table holds no email or address (erasing a user leaves
 * nothing of theirs here, and a dump shows nothing).
 */
export function throttleKey(kind: string, value: string, rule: ThrottleRule): ThrottleKey {
  return { key: `${kind}:${createHash("sha256").update(value).digest("hex")}`, rule };
}
export type Gate = { ok: true } | { ok: false; retryAfterSeconds: number };

type Row = { failures: number; blocked_until: string | Date | null; refused: boolean };

/**
 * Counts one attempt against a key before it is evaluated, in one atomic upsert, so that any
 * number of racing requests (and app instances) get no more evaluations than the rule allows.
 * An attempt that arrives while the key is blocked is turned away and not counted.
 */
async function take(db: Executor, { key, rule }: ThrottleKey, now: Date): Promise<Gate> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const blocked = sql`(t.blocked_until is not null and t.blocked_until > ${at})`;
  const failures = sql`(case when ${blocked} then t.failures
    when t.last_failure_at <= ${at} - make_interval(secs => ${rule.forgetSeconds}) then 1
    else t.failures + 1 end)`;
  const delay = (n: SQL) =>
    sql`(${at} + make_interval(secs => least(${rule.maxSeconds}, ${rule.baseSeconds} * power(2, ${n} - ${rule.free}))))`;
  const [row] = await queryRows<Row>(
    db,
    sql`insert into auth_throttle as t (key, failures, blocked_until, last_failure_at, refused)
      values (${key}, 1, case when 1 >= ${rule.free} then ${delay(sql`1`)} end, ${at}, false)
      on conflict (key) do update set
        refused = ${blocked},
        failures = ${failures},
        blocked_until = case when ${blocked} then t.blocked_until
          when ${failures} >= ${rule.free} then ${delay(failures)} end,
        last_failure_at = case when ${blocked} then t.last_failure_at else ${at} end
      returning failures, blocked_until, refused`,
  );
  if (!row?.refused) return { ok: true };
  const until = row.blocked_until ? new Date(row.blocked_until).getTime() : now.getTime();
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((until - now.getTime()) / 1000)) };
}

/** Gives back the one attempt `take` charged. */
async function refund(db: Executor, { key, rule }: ThrottleKey): Promise<void> {
  await db.execute(sql`update auth_throttle set
      failures = greatest(failures - 1, 0),
      blocked_until = case when failures - 1 < ${rule.free} then null else blocked_until end
    where key = ${key}`);
}

export type AttemptKeys = { account: ThrottleKey; address: ThrottleKey };

/**
 * Charges one attempt to the account, then to the address. When either is blocked nothing is
 * charged and the wait is answered. Call `releaseAttempt` when the attempt was no failure.
 */
export async function takeAttempt(
  db: Executor,
  keys: AttemptKeys,
  now: Date = new Date(),
): Promise<Gate> {
  const account = await take(db, keys.account, now);
  if (!account.ok) return account;
  const address = await take(db, keys.address, now);
  if (!address.ok) await refund(db, keys.account);
  return address;
}

/**
 * The attempt was no guess (the password was right): the account starts over, and the address
 * gets back the attempt it was charged, so people signing in from one office never block it.
 */
export async function releaseAttempt(db: Executor, keys: AttemptKeys): Promise<void> {
  await db.execute(sql`delete from auth_throttle where key = ${keys.account.key}`);
  await refund(db, keys.address);
}

/** "Too many attempts. Try again in 5 minutes." with the real wait. */
export function throttledMessage(retryAfterSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return `Too many attempts. Try again in ${minutes === 1 ? "1 minute" : `${minutes} minutes`}.`;
}

/**
 * The client's address as the nearest hop saw it: Next sets X-Forwarded-For to the socket's
 * address when no proxy did; a proxy appends the address it saw last.
 */
export function clientAddress(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for") ?? "";
  const last = forwarded.split(",").at(-1)?.trim() ?? "";
  const address = last.replace(/^::ffff:/i, "").slice(0, 64);
  return /^[0-9a-f.:]+$/i.test(address) ? address.toLowerCase() : "unknown";
}
