import { randomBytes, scryptSync } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import {
  hashPassword,
  needsRehash,
  SCRYPT_PARAMS,
  setScryptParamsForTests,
  verifyPassword,
} from "./password";

// The unit suite hashes with cheaper parameters (lib/testing/cheap-password-hashing.ts): this file
// checks the ones production uses.
beforeAll(() => setScryptParamsForTests(SCRYPT_PARAMS));

/** A hash as Roster stored them before: N=2^14. */
function legacyHash(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, 64, { N: 16384, r: 8, p: 1 });
  return ["scrypt", 16384, 8, 1, salt.toString("base64url"), key.toString("base64url")].join("$");
}

describe("password hashing", () => {
  it("uses OWASP's scrypt parameters (N=2^17, r=8, p=1) and stores them with the hash", async () => {
    expect(SCRYPT_PARAMS).toEqual({ N: 131072, r: 8, p: 1 });
    const stored = await hashPassword("correct horse");
    expect(stored).toMatch(/^scrypt\$131072\$8\$1\$[\w-]{22}\$[\w-]{86}$/);
    expect(await verifyPassword("correct horse", stored)).toBe(true);
    expect(await verifyPassword("wrong horse", stored)).toBe(false);
    expect(needsRehash(stored)).toBe(false);
  });

  it("still verifies a hash made with older parameters, and says it needs a new one", async () => {
    const old = legacyHash("correct horse");
    expect(await verifyPassword("correct horse", old)).toBe(true);
    expect(needsRehash(old)).toBe(true);
  });

  it("refuses a stored hash that names absurd parameters instead of computing it", async () => {
    const huge = legacyHash("x").replace("$16384$", `$${2 ** 30}$`);
    expect(await verifyPassword("x", huge)).toBe(false);
    expect(await verifyPassword("x", "scrypt$3$8$1$abc$def")).toBe(false);
    expect(await verifyPassword("x", "bcrypt$whatever")).toBe(false);
  });
});
