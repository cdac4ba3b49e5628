import { type SQL, sql } from "drizzle-orm";
import { type Executor, queryRows } from "@/db/client";
import { PEER_HEADER } from "@/lib/request-id";
import { serverMac } from "@/lib/security/keys";
import { plural } from "./format";

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

/**
 * Guessing one secret from one place: one account from one client address (or one device), one
 * invitation or reset link. 5 failures, then blocked for 1 min, doubling to 15 min.
 */
export const GUESS_RULE: ThrottleRule = {
  free: 5,
  baseSeconds: 60,
  maxSeconds: 15 * 60,
  forgetSeconds: 60 * 60,
};

/**
 * One account from every address together (an email, whether or not it exists): a backstop that
 * slows a guesser with many addresses and never locks the owner out. After 100 failures (forgotten
 * after 15 min without one) each failure holds the account for 3 s: at most one evaluation every
 * 3 s, and whoever is turned away, the owner's new browser too, is told to wait 3 s at most. A
 * steady flood from many addresses can take most of those turns: a new browser may need a few
 * tries then; the owner's own browser (device cookie) never waits for it.
 */
export const ACCOUNT_RULE: ThrottleRule = {
  free: 100,
  baseSeconds: 3,
  maxSeconds: 3,
  forgetSeconds: 15 * 60,
};

/** One client address, across accounts and invitations: spraying one password at many accounts. */
export const ADDRESS_RULE: ThrottleRule = {
  free: 20,
  baseSeconds: 60,
  maxSeconds: 15 * 60,
  forgetSeconds: 60 * 60,
};

export type ThrottleKey = { key: string; rule: ThrottleRule };

function mac(kind: string, value: string): string {
  return serverMac("auth throttle", `${kind}:${value}`).toString("hex");
}

/**
 * The stored key: an HMAC with the server's secret, so that the table holds no email or address
 * and nobody who knows an address can find its row (a plain hash anyone recomputes). Erasure
 * deletes a user's rows by computing their key again (`forgetAccounts`).
 */
export function throttleKey(kind: string, value: string, rule: ThrottleRule): ThrottleKey {
  return { key: `${kind}:${mac(kind, value)}`, rule };
}

/**
 * A key about one account and something else (`pair`: an address, `device`: a device's nonce):
 * `kind:<the account's key hash>:<HMAC of both>`, so that erasure finds every row about the
 * account by its prefix, and nothing in the key names the address or the device.
 */
export function accountKey(
  kind: "pair" | "device",
  email: string,
  value: string,
  rule: ThrottleRule,
): ThrottleKey {
  return { key: `${kind}:${mac("account", email)}:${mac(kind, `${email}\n${value}`)}`, rule };
}

/**
 * Every sign-in row about these emails goes (permanent delete): the account's own, and its
 * per-address and per-device rows. Sign-in lower-cases what it counts.
 */
export async function forgetAccounts(db: Executor, emails: readonly string[]): Promise<void> {
  if (!emails.length) return;
  const hashes = emails.map((e) => mac("account", e.trim().toLowerCase()));
  await db.execute(sql`delete from auth_throttle t
    using json_array_elements_text(${JSON.stringify(hashes)}::json) as a(h)
    where t.key = 'account:' || a.h or t.key like 'pair:' || a.h || ':%'
      or t.key like 'device:' || a.h || ':%'`);
}

/** The longest any rule remembers a failure: rows older than that count for nothing. */
const FORGET_SECONDS = Math.max(
  ...[GUESS_RULE, ACCOUNT_RULE, ADDRESS_RULE].map((rule) => rule.forgetSeconds),
);

/** Rows that count for nothing any more go (by the last-failure index, migration 0013). */
async function expireStale(db: Executor, now: Date): Promise<void> {
  await db.execute(sql`delete from auth_throttle
    where last_failure_at < ${now.toISOString()}::timestamptz - make_interval(secs => ${FORGET_SECONDS})
      and (blocked_until is null or blocked_until < ${now.toISOString()}::timestamptz)`);
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

/**
 * What one attempt is charged to: `own` (an account from one address or device, a link) starts
 * over when the attempt was no failure; each of `shared` (an address across accounts, an account
 * across addresses) only gets back the attempt it was charged.
 */
export type AttemptKeys = { own: ThrottleKey; shared: readonly ThrottleKey[] };

/**
 * Charges one attempt to each key in turn. When one is blocked, those charged before get their
 * attempt back and the wait is answered. Call `releaseAttempt` when the attempt was no failure.
 */
export async function takeAttempt(
  db: Executor,
  keys: AttemptKeys,
  now: Date = new Date(),
): Promise<Gate> {
  await expireStale(db, now);
  const charged: ThrottleKey[] = [];
  for (const key of [keys.own, ...keys.shared]) {
    const gate = await take(db, key, now);
    if (!gate.ok) {
      for (const back of charged) await refund(db, back);
      return gate;
    }
    charged.push(key);
  }
  return { ok: true };
}

/**
 * The attempt was no guess (the password was right): the account starts over from this address
 * or device, and the shared keys get back the attempt they were charged, so people signing in
 * from one office never block it.
 */
export async function releaseAttempt(db: Executor, keys: AttemptKeys): Promise<void> {
  await db.execute(sql`delete from auth_throttle where key = ${keys.own.key}`);
  for (const key of keys.shared) await refund(db, key);
}

/**
 * "Too many attempts. Try again in 5 minutes." with the real wait, rounded up to minutes; a wait
 * of a few seconds (the account-wide backstop's) is said in seconds.
 */
export function throttledMessage(retryAfterSeconds: number): string {
  if (retryAfterSeconds < 10) {
    return `Too many attempts. Try again in ${plural(Math.max(1, Math.ceil(retryAfterSeconds)), "second")}.`;
  }
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return `Too many attempts. Try again in ${plural(minutes, "minute")}.`;
}

export { PEER_HEADER };

function normalAddress(raw: string | undefined): string | null {
  const address = (raw ?? "")
    .trim()
    .replace(/^::ffff:/i, "")
    .slice(0, 64);
  return /^[0-9a-f.:]+$/i.test(address) && address !== "" ? address.toLowerCase() : null;
}

/**
 * The client's address, as nobody but our proxies can choose it: the socket's peer when no proxy
 * is trusted (`ROSTER_TRUSTED_PROXIES=0`, the default: X-Forwarded-For is the client's to write);
 * behind N trusted proxies, the entry N hops from the right of X-Forwarded-For with the peer
 * appended (each proxy appends the address it saw). "unknown" when the peer is not known.
 */
export function clientAddress(headers: Headers, trustedProxies: number): string {
  const peer = normalAddress(headers.get(PEER_HEADER) ?? undefined);
  if (!peer) return "unknown";
  if (trustedProxies <= 0) return peer;
  const hops = [...(headers.get("x-forwarded-for") ?? "").split(","), peer];
  const index = Math.max(0, hops.length - 1 - trustedProxies);
  return normalAddress(hops[index]) ?? "unknown";
}
