import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

/**
 * Invitation links are secrets: the outbox keeps the email's body with this mark where the token
 * goes, and the token itself sealed (AES-256-GCM, key derived from AUTH_SECRET), until the email
 * is sent; then the sealed token is cleared. A database read or backup yields no working link.
 */
export const TOKEN_MARK = "{invitation-token}";
const WITHHELD = "…";

/** The key of the last AUTH_SECRET seen: HKDF costs more than sealing a token (bench/RESULTS.md). */
let derived: { authSecret: string; key: Buffer } | null = null;

function keyFrom(authSecret: string): Buffer {
  if (derived?.authSecret !== authSecret) {
    const key = Buffer.from(
      hkdfSync("sha256", authSecret, "roster", "outbox invitation token", 32),
    );
    derived = { authSecret, key };
  }
  return derived.key;
}

/** iv.ciphertext.tag, base64url. */
export function sealToken(token: string, authSecret: string): string {
  return sealTokens([token], authSecret)[0] as string;
}

/** Many tokens at once (a batch of invitations): one draw of random bytes for all their IVs. */
export function sealTokens(tokens: readonly string[], authSecret: string): string[] {
  const key = keyFrom(authSecret);
  const ivs = randomBytes(12 * tokens.length);
  return tokens.map((token, i) => {
    const iv = ivs.subarray(12 * i, 12 * i + 12);
    const cipher = createCipheriv("aes-256-gcm", key, iv);
    const sealed = Buffer.concat([cipher.update(token, "utf8"), cipher.final()]);
    return [iv, sealed, cipher.getAuthTag()].map((b) => b.toString("base64url")).join(".");
  });
}

/** The token, or null when it can't be opened (another AUTH_SECRET, or tampered). */
function openToken(sealed: string, authSecret: string): string | null {
  const [iv, data, tag] = sealed.split(".").map((p) => Buffer.from(p, "base64url"));
  if (!iv || !data || !tag || iv.length !== 12 || tag.length !== 16) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", keyFrom(authSecret), iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(data), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}

/**
 * An outbox body as it is sent (or shown by the development mailbox): the token put back, or,
 * when it is gone (sent) or not to be shown, an ellipsis in its place.
 */
export function renderBody(body: string, sealed: string | null, authSecret: string | null): string {
  if (!body.includes(TOKEN_MARK)) return body;
  const token = sealed && authSecret ? openToken(sealed, authSecret) : null;
  return body.replaceAll(TOKEN_MARK, token ?? WITHHELD);
}
