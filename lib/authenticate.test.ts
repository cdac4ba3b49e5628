import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "@/db/testing";
import { authenticate } from "./authenticate";
import { hashPassword, verifyPassword } from "./password";
import { endAllSessions } from "./sessions";
import { ACCOUNT_RULE, ADDRESS_RULE, GUESS_RULE, throttledMessage } from "./throttle";

const PASSWORD = "the-right-password";
/** For tests about counting, not hashing: scrypt at N=2^17 takes ~0.5 s a check on 2 cores. */
const quickVerify = async (password: string, stored: string | null) =>
  stored !== null && password === PASSWORD;

describe.each(TEST_DRIVERS)("sign-in throttling on %s", (driver) => {
  let t: TestDatabase;
  let hash: string;
  let n = 0;

  async function addAccount(status = "active"): Promise<string> {
    n++;
    const email = `throttle.${n}.${driver}@example.test`;
    await t.db.execute(sql`insert into users (name, email, role, status, password_hash)
      values (${`Throttle ${n}`}, ${email}, 'member', ${status}, ${hash})`);
    return email;
  }

  /** Counts how many attempts got as far as checking a password. */
  function countingVerify(inner: typeof verifyPassword = verifyPassword) {
    const counter = { evaluated: 0 };
    const verify = async (password: string, stored: string | null) => {
      counter.evaluated++;
      return inner(password, stored);
    };
    return { counter, verify };
  }

  beforeAll(async () => {
    t = await createTestDatabase(driver);
    hash = await hashPassword(PASSWORD);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("200 rapid guesses from one address: 5 evaluated; that address waits, the owner elsewhere doesn't", async () => {
    const email = await addAccount();
    const { counter, verify } = countingVerify();
    const now = new Date("2026-01-01T10:00:00Z");
    const results = [];
    for (let i = 0; i < 200; i++) {
      // One guess every 100 ms: the whole attack lasts 20 s.
      const at = new Date(now.getTime() + i * 100);
      results.push(
        await authenticate(
          t.db,
          { email, password: `guess-${i}`, address: "203.0.113.66" },
          { now: at, verify },
        ),
      );
    }
    expect(counter.evaluated).toBe(GUESS_RULE.free);
    const throttled = results.filter((r) => !r.ok && r.code === "throttled");
    expect(throttled).toHaveLength(200 - GUESS_RULE.free);
    // Even the right password waits from that address…
    const blocked = await authenticate(
      t.db,
      { email, password: PASSWORD, address: "203.0.113.66" },
      { now: new Date(now.getTime() + 30_000), verify },
    );
    expect(blocked).toMatchObject({ ok: false, code: "throttled" });
    // …while the owner, in a browser that never signed in before, gets in from their own.
    const owner = await authenticate(
      t.db,
      { email, password: PASSWORD, address: "192.0.2.1" },
      { now: new Date(now.getTime() + 30_000), verify },
    );
    expect(owner.ok).toBe(true);
    // The guesser's address gets in once its window has passed.
    const later = new Date(now.getTime() + 20_000 + GUESS_RULE.baseSeconds * 1000);
    const again = await authenticate(
      t.db,
      { email, password: PASSWORD, address: "203.0.113.66" },
      { now: later, verify },
    );
    expect(again.ok).toBe(true);
    expect(counter.evaluated).toBe(GUESS_RULE.free + 2);
  });

  it("guesses from spoofed addresses never lock the owner out of a new browser; the guesser's address is refused", async () => {
    const email = await addAccount();
    const now = new Date("2026-01-08T10:00:00Z");
    const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);
    // 20 wrong passwords from 20 made-up addresses, then 20 from the guesser's own.
    for (let i = 0; i < 20; i++) {
      const r = await authenticate(
        t.db,
        { email, password: `spoofed-${i}`, address: `198.51.100.${i + 1}`, device: null },
        { now: at(i), verify: quickVerify },
      );
      expect(r).toEqual({ ok: false, code: "invalid" });
    }
    const guesser = [];
    for (let i = 0; i < 20; i++) {
      guesser.push(
        await authenticate(
          t.db,
          { email, password: `guess-${i}`, address: "203.0.113.200", device: null },
          { now: at(20 + i), verify: quickVerify },
        ),
      );
    }
    expect(guesser.filter((r) => !r.ok && r.code === "invalid")).toHaveLength(GUESS_RULE.free);
    // The right password from the guesser's address: refused, unevaluated.
    expect(
      await authenticate(
        t.db,
        { email, password: PASSWORD, address: "203.0.113.200", device: null },
        { now: at(41), verify: quickVerify },
      ),
    ).toMatchObject({ ok: false, code: "throttled" });
    // The owner, from a new browser at their own address: in at once, and given a device token.
    const owner = await authenticate(
      t.db,
      { email, password: PASSWORD, address: "192.0.2.44", device: null },
      { now: at(41), verify: quickVerify },
    );
    expect(owner.ok).toBe(true);
  });

  it("past the account-wide backstop (guesses from 300 addresses) the owner's new browser waits seconds, not minutes", async () => {
    const email = await addAccount();
    const { counter, verify } = countingVerify(quickVerify);
    const start = Date.parse("2026-01-09T10:00:00Z");
    const attempts = 300;
    // One guess every 100 ms, each from an address of its own: 30 s.
    for (let i = 0; i < attempts; i++) {
      const r = await authenticate(
        t.db,
        { email, password: `g-${i}`, address: `10.2.${i >> 8}.${i & 255}`, device: null },
        { now: new Date(start + i * 100), verify },
      );
      if (!r.ok && r.code === "throttled") {
        expect(r.retryAfterSeconds).toBeLessThanOrEqual(ACCOUNT_RULE.maxSeconds);
      }
    }
    // 100 free, then one every 3 s at most.
    expect(counter.evaluated).toBeGreaterThan(ACCOUNT_RULE.free);
    expect(counter.evaluated).toBeLessThanOrEqual(
      ACCOUNT_RULE.free + Math.ceil((attempts * 100) / 1000 / ACCOUNT_RULE.baseSeconds),
    );
    // The owner from a new browser: in now, or told to wait a few seconds and in then.
    let now = start + attempts * 100;
    let owner = await authenticate(
      t.db,
      { email, password: PASSWORD, address: "192.0.2.45", device: null },
      { now: new Date(now), verify },
    );
    if (!owner.ok && owner.code === "throttled") {
      expect(owner.retryAfterSeconds).toBeLessThanOrEqual(ACCOUNT_RULE.maxSeconds);
      expect(throttledMessage(owner.retryAfterSeconds)).toMatch(/in \d seconds?\.$/);
      now += owner.retryAfterSeconds * 1000;
      owner = await authenticate(
        t.db,
        { email, password: PASSWORD, address: "192.0.2.45", device: null },
        { now: new Date(now), verify },
      );
    }
    expect(owner.ok).toBe(true);
    expect(throttledMessage(3)).toBe("Too many attempts. Try again in 3 seconds.");
  });

  it("delays grow with each failure after the free ones", async () => {
    const email = await addAccount();
    const start = Date.parse("2026-01-02T10:00:00Z");
    let now = start;
    const waits: number[] = [];
    for (let round = 0; round < 12; round++) {
      const r = await authenticate(
        t.db,
        { email, password: "nope", address: "198.51.100.7" },
        { now: new Date(now), verify: quickVerify },
      );
      const next = await authenticate(
        t.db,
        { email, password: "nope", address: "198.51.100.7" },
        { now: new Date(now + 1), verify: quickVerify },
      );
      if (!next.ok && next.code === "throttled") {
        waits.push(next.retryAfterSeconds);
        now += next.retryAfterSeconds * 1000 + 10;
      } else {
        expect(r.ok).toBe(false);
        now += 10;
      }
    }
    expect(waits.slice(0, 5)).toEqual([60, 120, 240, 480, 900]);
    expect(Math.max(...waits)).toBe(GUESS_RULE.maxSeconds);
  });

  it("answers the same for an unknown account, with the real wait in the message", async () => {
    const known = await addAccount();
    const unknown = `nobody.${driver}@example.test`;
    const now = new Date("2026-01-03T10:00:00Z");
    const answers = [];
    for (const email of [known, unknown]) {
      let last: Awaited<ReturnType<typeof authenticate>> | undefined;
      for (let i = 0; i <= GUESS_RULE.free; i++) {
        last = await authenticate(
          t.db,
          { email, password: "nope", address: "203.0.113.9" },
          { now },
        );
      }
      answers.push(last);
    }
    expect(answers[0]).toEqual(answers[1]);
    // The throttle keeps hashes: no email or address of anyone is stored there.
    const leaks = await queryRows<{ key: string }>(
      t.db,
      sql`select key from auth_throttle where key ilike ${`%${known}%`} or key like '%203.0.113.9%'`,
    );
    expect(leaks).toEqual([]);
    expect(answers[0]).toEqual({ ok: false, code: "throttled", retryAfterSeconds: 60 });
    expect(throttledMessage(300)).toBe("Too many attempts. Try again in 5 minutes.");
    expect(throttledMessage(60)).toBe("Too many attempts. Try again in 1 minute.");
  });

  it("per address: failures across accounts block the address; successful sign-ins never count", async () => {
    const address = "198.51.100.200";
    const now = new Date("2026-01-04T10:00:00Z");
    const good = await addAccount();
    // Many successful sign-ins from one office address: never blocked.
    for (let i = 0; i < ADDRESS_RULE.free * 2; i++) {
      expect(
        (
          await authenticate(
            t.db,
            { email: good, password: PASSWORD, address },
            { now, verify: quickVerify },
          )
        ).ok,
      ).toBe(true);
    }
    // Spraying one password over many accounts: blocked after the address's free failures.
    const { counter, verify } = countingVerify(quickVerify);
    for (let i = 0; i < 100; i++) {
      await authenticate(
        t.db,
        { email: `spray.${i}.${driver}@example.test`, password: "Summer2026!", address },
        { now, verify },
      );
    }
    expect(counter.evaluated).toBe(ADDRESS_RULE.free);
    const fromThere = await authenticate(
      t.db,
      { email: good, password: PASSWORD, address },
      { now },
    );
    expect(fromThere).toMatchObject({ ok: false, code: "throttled" });
    const elsewhere = await authenticate(
      t.db,
      { email: good, password: PASSWORD, address: "198.51.100.201" },
      { now, verify: quickVerify },
    );
    expect(elsewhere.ok).toBe(true);
  });

  it("a deactivated account with the right password is refused but not counted as a guess", async () => {
    const email = await addAccount("inactive");
    const now = new Date("2026-01-05T10:00:00Z");
    for (let i = 0; i < GUESS_RULE.free * 2; i++) {
      expect(
        await authenticate(
          t.db,
          { email, password: PASSWORD, address: "192.0.2.50" },
          { now, verify: quickVerify },
        ),
      ).toEqual({ ok: false, code: "deactivated" });
    }
  });

  it("upgrades a hash made with older parameters at the next successful sign-in", async () => {
    const email = await addAccount();
    const old = await hashPassword(PASSWORD, { N: 16384, r: 8, p: 1 });
    await t.db.execute(sql`update users set password_hash = ${old} where email = ${email}`);
    const r = await authenticate(t.db, { email, password: PASSWORD, address: "192.0.2.60" });
    expect(r.ok).toBe(true);
    const [row] = await queryRows<{ password_hash: string }>(
      t.db,
      sql`select password_hash from users where email = ${email}`,
    );
    // Today's parameters (in unit tests the cheaper ones of lib/testing/cheap-password-hashing.ts).
    expect(row?.password_hash).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(await verifyPassword(PASSWORD, row?.password_hash ?? null)).toBe(true);
  });

  if (driver === "postgres") {
    it("racing guesses on separate connections get no more evaluations than the rules", async () => {
      const email = await addAccount();
      const { counter, verify } = countingVerify(quickVerify);
      const now = new Date("2026-01-06T10:00:00Z");
      // From one address: the account-and-address key's free failures.
      await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          authenticate(
            t.db,
            { email, password: `race-${i}`, address: "10.9.0.1" },
            { now, verify },
          ),
        ),
      );
      expect(counter.evaluated).toBe(GUESS_RULE.free);
      // From 200 addresses at once: the account-wide backstop's.
      const other = await addAccount();
      const wide = countingVerify(quickVerify);
      await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          authenticate(
            t.db,
            { email: other, password: `race-${i}`, address: `10.9.${i}.2` },
            { now, verify: wide.verify },
          ),
        ),
      );
      expect(wide.counter.evaluated).toBe(ACCOUNT_RULE.free);
    });
  }

  it("a browser that signed in to the account before is never locked out by others' guesses", async () => {
    const email = await addAccount();
    const now = new Date("2026-01-07T10:00:00Z");
    // The owner signs in once from their browser: it gets a device token.
    const first = await authenticate(
      t.db,
      { email, password: PASSWORD, address: "192.0.2.10", device: null },
      { now, verify: quickVerify },
    );
    if (!first.ok) throw new Error("the owner's first sign-in failed");
    expect(first.device).toMatch(/^[\w-]{22}\.\d+\.[\w-]{43}$/);
    // An attacker guesses from spoofed addresses until each of them is blocked.
    for (let i = 0; i < 40; i++) {
      await authenticate(
        t.db,
        { email, password: `guess-${i}`, address: `203.0.113.${i % 8}`, device: null },
        { now: new Date(now.getTime() + 1000 + i * 1000), verify: quickVerify },
      );
    }
    const later = new Date(now.getTime() + 60_000);
    // Another browser at an address the attacker used is refused…
    const stranger = await authenticate(
      t.db,
      { email, password: PASSWORD, address: "203.0.113.7", device: null },
      { now: later, verify: quickVerify },
    );
    expect(stranger).toMatchObject({ ok: false, code: "throttled" });
    // …the owner, from the browser that signed in before, gets in at once, even from there.
    const owner = await authenticate(
      t.db,
      { email, password: PASSWORD, address: "203.0.113.7", device: first.device },
      { now: later, verify: quickVerify },
    );
    expect(owner.ok).toBe(true);
    // A device token is for its account only, and can't be made up.
    const other = await addAccount();
    const forged = first.device.replace(/[^.]+$/, "A".repeat(43));
    // Guesses with either count against the address, as from a browser without one.
    for (const device of [first.device, forged]) {
      for (let i = 0; i < 3; i++) {
        await authenticate(
          t.db,
          { email: other, password: `g-${i}`, address: "203.0.113.77", device },
          { now: later, verify: quickVerify },
        );
      }
    }
    expect(
      await authenticate(
        t.db,
        { email: other, password: PASSWORD, address: "203.0.113.77", device: forged },
        { now: later, verify: quickVerify },
      ),
    ).toMatchObject({ ok: false, code: "throttled" });
  });

  it("ending all of a user's sessions revokes their device tokens until the next sign-in", async () => {
    const email = await addAccount();
    const now = new Date("2026-01-10T10:00:00Z");
    const signInFrom = (address: string, device: string | null, password = PASSWORD) =>
      authenticate(t.db, { email, password, address, device }, { now, verify: quickVerify });
    const first = await signInFrom("192.0.2.30", null);
    if (!first.ok) throw new Error("the first sign-in failed");
    // A version made up in a genuine token is no token.
    const [nonce, version, mac] = first.device.split(".");
    expect(version).toBe("0");
    // Guesses from one address block it for the account.
    for (let i = 0; i < GUESS_RULE.free; i++) await signInFrom("203.0.113.90", null, `g-${i}`);
    expect(await signInFrom("203.0.113.90", `${nonce}.1.${mac}`)).toMatchObject({
      ok: false,
      code: "throttled",
    });
    expect((await signInFrom("203.0.113.90", first.device)).ok).toBe(true);
    // Sign out everywhere (or End sessions, or a password reset): the token counts as none.
    await endAllSessions(t.db, [first.user.id]);
    expect(await signInFrom("203.0.113.90", first.device)).toMatchObject({
      ok: false,
      code: "throttled",
    });
    // The next sign-in elsewhere gives the browser a token that counts again.
    const again = await signInFrom("192.0.2.30", first.device);
    if (!again.ok) throw new Error("the sign-in after sign-out everywhere failed");
    expect(again.device.split(".")[1]).toBe("1");
    expect((await signInFrom("203.0.113.90", again.device)).ok).toBe(true);
  });
});
