import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { type Db, queryRows } from "@/db/client";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "@/db/testing";
import { PUBLIC_REQUEST_LIMITS } from "@/lib/public-requests";
import { PEER_HEADER } from "@/lib/throttle";
import { addUser } from "@/lib/users/testing/fixtures";
import { forgotPasswordAction } from "./actions";

const h = vi.hoisted(() => ({ db: null as Db | null, address: "192.0.2.1" }));
vi.mock("@/lib/db", () => ({
  getDb: async () => {
    if (!h.db) throw new Error("no database");
    return h.db;
  },
}));
vi.mock("next/headers", () => ({
  // The socket's address, as proxy.ts passes it on (lib/throttle.ts clientAddress).
  headers: async () => new Headers({ [PEER_HEADER]: h.address }),
}));

const START = { sent: false, error: null, fieldError: null, email: "" };
const TOO_MANY = /^Too many attempts\. Try again in \d+ minutes?\.$/;

function form(email: string): FormData {
  const f = new FormData();
  f.set("email", email);
  return f;
}

describe.each(TEST_DRIVERS)("'Forgot password?' on %s", (driver) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(driver);
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(() => {
    h.db = t.db;
  });

  async function resetsTo(email: string): Promise<number> {
    const [row] = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from outbox where kind = 'password-reset' and to_email = ${email}`,
    );
    return Number(row?.n);
  }

  it("answers the same for an active user, a user who may not sign in and an unknown address", async () => {
    const active = await addUser(t.db, { status: "active" });
    const inactive = await addUser(t.db, { status: "inactive" });
    const answers = [];
    for (const [i, email] of [active.email, inactive.email, "nobody@example.test"].entries()) {
      h.address = `198.51.100.${i + 1}`;
      answers.push(await forgotPasswordAction(START, form(email)));
    }
    expect(answers.map(({ email: _, ...rest }) => rest)).toEqual([
      { sent: true, error: null, fieldError: null },
      { sent: true, error: null, fieldError: null },
      { sent: true, error: null, fieldError: null },
    ]);
    expect(await resetsTo(active.email)).toBe(1);
    expect(await resetsTo(inactive.email)).toBe(0);
  });

  it("limits requests per address asked about, from any client", async () => {
    const user = await addUser(t.db, { status: "active" });
    const answers = [];
    for (let i = 0; i < PUBLIC_REQUEST_LIMITS.perEmail + 2; i++) {
      h.address = `203.0.113.${i + 1}`;
      answers.push(
        await forgotPasswordAction(START, form(i % 2 ? user.email.toUpperCase() : user.email)),
      );
    }
    expect(answers.filter((a) => a.sent)).toHaveLength(PUBLIC_REQUEST_LIMITS.perEmail);
    expect(answers.filter((a) => a.error && TOO_MANY.test(a.error))).toHaveLength(2);
    expect(await resetsTo(user.email)).toBe(PUBLIC_REQUEST_LIMITS.perEmail);
  });

  it("limits requests per client, whatever the addresses", async () => {
    h.address = "198.51.100.200";
    const answers = [];
    for (let i = 0; i < PUBLIC_REQUEST_LIMITS.perClient + 3; i++) {
      answers.push(await forgotPasswordAction(START, form(`someone.${i}@example.test`)));
    }
    expect(answers.filter((a) => a.sent)).toHaveLength(PUBLIC_REQUEST_LIMITS.perClient);
    expect(answers.filter((a) => a.error && TOO_MANY.test(a.error))).toHaveLength(3);
  });

  it("refuses a malformed address or payload calmly, sending nothing", async () => {
    h.address = "198.51.100.250";
    for (const bad of ["not-an-email", "", "a@b".padEnd(500, "c")]) {
      expect(await forgotPasswordAction(START, form(bad))).toMatchObject({
        sent: false,
        fieldError: "Enter your email address.",
      });
    }
    expect(await forgotPasswordAction(START, "x" as unknown as FormData)).toMatchObject({
      sent: false,
    });
  });
});
