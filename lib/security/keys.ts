import { createHmac, hkdfSync } from "node:crypto";
import { resolveAuthSecret } from "@/lib/env";

const keys = new Map<string, Buffer>();

/** A 32-byte key for one purpose, derived from the server's secret (AUTH_SECRET). */
function serverKey(purpose: string): Buffer {
  let key = keys.get(purpose);
  if (!key) {
    key = Buffer.from(hkdfSync("sha256", resolveAuthSecret(), "roster", purpose, 32));
    keys.set(purpose, key);
  }
  return key;
}

/** HMAC-SHA256 with the server's key for `purpose`: only the server can compute or check it. */
export function serverMac(purpose: string, data: string): Buffer {
  return createHmac("sha256", serverKey(purpose)).update(data, "utf8").digest();
}
