import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "@/db/testing";
import { authenticate } from "./authenticate";
import { hashPassword, verifyPassword } from "./password";
import { ACCOUNT_RULE, ADDRESS_RULE, throttledMessage } from "./throttle";

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

  it("200 rapid guesses for one account: at most 10 are evaluated; the owner signs in after the window", async () => {
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
          { email, password: `guess-${i}`, address: `10.0.${i % 200}.1` },
          { now: at, verify },
        ),
      );
    }
    expect(counter.evaluated).toBeLessThanOrEqual(10);
    expect(counter.evaluated).toBe(ACCOUNT_RULE.free);
    const throttled = results.filter((r) => !r.ok && r.code === "throttled");
    expect(throttled).toHaveLength(200 - ACCOUNT_RULE.free);
    // Even the right password waits while the account is blocked…
    const blocked = await authenticate(
      t.db,
      { email, password: PASSWORD, address: "192.0.2.1" },
      { now: new Date(now.getTime() + 30_000), verify },
    );
    expect(blocked).toMatchObject({ ok: false, code: "throttled" });
    // …and gets in once the window has passed.
    const later = new Date(now.getTime() + 20_000 + ACCOUNT_RULE.baseSeconds * 1000);
    const owner = await authenticate(
      t.db,
      { email, password: PASSWORD, address: "192.0.2.1" },
      { now: later, verify },
    );
    expect(owner.ok).toBe(true);
    expect(counter.evaluated).toBe(ACCOUNT_RULE.free + 1);
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
    expect(Math.max(...waits)).toBe(ACCOUNT_RULE.maxSeconds);
  });

  it("answers the same for an unknown account, with the real wait in the message", async () => {
    const known = await addAccount();
    const unknown = `nobody.${driver}@example.test`;
    const now = new Date("2026-01-03T10:00:00Z");
    const answers = [];
    for (const email of [known, unknown]) {
      let last: Awaited<ReturnType<typeof authenticate>> | undefined;
      for (let i = 0; i <= ACCOUNT_RULE.free; i++) {
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
    for (let i = 0; i < ACCOUNT_RULE.free * 2; i++) {
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
    expect(row?.password_hash).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(await verifyPassword(PASSWORD, row?.password_hash ?? null)).toBe(true);
  });

  if (driver === "postgres") {
    it("racing guesses on separate connections get no more evaluations than the rule", async () => {
      const email = await addAccount();
      const { counter, verify } = countingVerify(quickVerify);
      const now = new Date("2026-01-06T10:00:00Z");
      await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          authenticate(
            t.db,
            { email, password: `race-${i}`, address: `10.9.${i}.1` },
            { now, verify },
          ),
        ),
      );
      expect(counter.evaluated).toBe(ACCOUNT_RULE.free);
    });
  }
});
