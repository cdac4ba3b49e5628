import { randomBytes, scrypt as scryptCb, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";
import { z } from "zod";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@/model/limits";

const scrypt = promisify(scryptCb) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

export type ScryptParams = { N: number; r: number; p: number };

/** OWASP Password Storage Cheat Sheet: scrypt with N=2^17, r=8, p=1. */
export const SCRYPT_PARAMS: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };
const KEYLEN = 64;

/**
 * The parameters new hashes get and `needsRehash` compares with: SCRYPT_PARAMS, except in unit
 * tests, which swap in cheaper ones as Django's test settings swap in a fast hasher
 * (lib/testing/cheap-password-hashing.ts; lib/password.test.ts checks the real ones). At N=2^17 a
 * hash is ~0.5 s of a core: the unit suite made hundreds.
 */
let current: ScryptParams = SCRYPT_PARAMS;

/** Unit tests only (Vitest sets VITEST): hash new passwords with `params`. */
export function setScryptParamsForTests(params: ScryptParams): void {
  if (!process.env.VITEST) throw new Error("Password hashing parameters change only in tests.");
  current = params;
}
/** Parameters a stored hash may name; anything above is refused rather than computed. */
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 4;

/** scrypt needs 128·N·r bytes (+ a little): Node's default 32 MiB cap is below N=2^17, r=8. */
function maxmem({ N, r, p }: ScryptParams): number {
  return 128 * N * r + 128 * r * p + 1024 * 1024;
}

/**
 * scrypt (memory-hard, in Node's crypto): `scrypt$N$r$p$salt$hash`, base64url parts. The
 * parameters travel with the hash, so a hash made with older ones still verifies, and
 * `needsRehash` tells when to replace it.
 */
export async function hashPassword(
  password: string,
  params: ScryptParams = current,
): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEYLEN, { ...params, maxmem: maxmem(params) });
  return [
    "scrypt",
    params.N,
    params.r,
    params.p,
    salt.toString("base64url"),
    key.toString("base64url"),
  ].join("$");
}

function parse(stored: string) {
  const [scheme, n, r, p, saltB64, keyB64, ...rest] = stored.split("$");
  if (scheme !== "scrypt" || !saltB64 || !keyB64 || rest.length) return null;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  const valid =
    Number.isInteger(params.N) &&
    params.N >= 2 &&
    params.N <= MAX_N &&
    (params.N & (params.N - 1)) === 0 &&
    Number.isInteger(params.r) &&
    params.r >= 1 &&
    params.r <= MAX_R &&
    Number.isInteger(params.p) &&
    params.p >= 1 &&
    params.p <= MAX_P;
  if (!valid) return null;
  return { params, salt: Buffer.from(saltB64, "base64url"), key: Buffer.from(keyB64, "base64url") };
}

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const parsed = stored ? parse(stored) : null;
  if (!parsed || parsed.key.length === 0) {
    // Spend the same time as a real check so that timing reveals nothing about the account.
    await hashPassword(password);
    return false;
  }
  const actual = await scrypt(password, parsed.salt, parsed.key.length, {
    ...parsed.params,
    maxmem: maxmem(parsed.params),
  });
  return actual.length === parsed.key.length && timingSafeEqual(actual, parsed.key);
}

/** True when a stored hash was made with other parameters than today's: hash it again. */
export function needsRehash(stored: string): boolean {
  const parsed = parse(stored);
  if (!parsed) return true;
  return (
    parsed.params.N !== current.N ||
    parsed.params.r !== current.r ||
    parsed.params.p !== current.p ||
    parsed.key.length !== KEYLEN
  );
}

export const PASSWORDS_DIFFER = "The two passwords don't match. Type the same password twice.";

/** A password someone chooses (first-run setup, accepting an invitation), with the messages shown. */
export const newPasswordSchema = z
  .string({ error: "Enter a password." })
  .min(PASSWORD_MIN_LENGTH, `Use a password of at least ${PASSWORD_MIN_LENGTH} characters.`)
  .max(PASSWORD_MAX_LENGTH, `Use a password of at most ${PASSWORD_MAX_LENGTH} characters.`);

/** What a form that sets a password through a link (invitation, reset) answers. */
export type LinkPasswordState = {
  error: string | null;
  fieldErrors: { password?: string; confirm?: string };
};

/**
 * Reads a "set your password" form sent from a link's page (token, password, confirm): the
 * values, or the state to answer with (field errors, or `badLink` for a missing token or a
 * payload that is not a form at all).
 */
export function parseLinkPasswordForm(
  form: unknown,
  badLink: string,
): { ok: true; token: string; password: string } | { ok: false; state: LinkPasswordState } {
  if (!(form instanceof FormData)) return { ok: false, state: { error: badLink, fieldErrors: {} } };
  const parsed = z
    .object({
      token: z.string({ error: badLink }).max(200),
      password: newPasswordSchema,
      confirm: z.string({ error: "Type the password again." }),
    })
    .refine((v) => v.password === v.confirm, { path: ["confirm"], message: PASSWORDS_DIFFER })
    .safeParse({
      token: form.get("token"),
      password: form.get("password"),
      confirm: form.get("confirm"),
    });
  if (parsed.success) return { ok: true, token: parsed.data.token, password: parsed.data.password };
  const fieldErrors: LinkPasswordState["fieldErrors"] = {};
  let error: string | null = null;
  for (const issue of parsed.error.issues) {
    const field = issue.path[0];
    if ((field === "password" || field === "confirm") && !fieldErrors[field]) {
      fieldErrors[field] = issue.message;
    } else if (field === "token") {
      error = issue.message;
    }
  }
  return { ok: false, state: { error: error ?? "Check the highlighted fields.", fieldErrors } };
}
