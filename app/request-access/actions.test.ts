import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { type Db, queryRows } from "@/db/client";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "@/db/testing";
import { PUBLIC_REQUEST_LIMITS } from "@/lib/public-requests";
import { PEER_HEADER } from "@/lib/throttle";
import { addUser } from "@/lib/users/testing/fixtures";
import { type RequestAccessState, requestAccessAction } from "./actions";

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

const START: RequestAccessState = {
  sent: false,
  error: null,
  fieldErrors: {},
  values: { name: "", email: "", message: "" },
};
const TOO_MANY = /^Too many attempts\. Try again in \d+ minutes?\.$/;

function form(fields: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
}

describe.each(TEST_DRIVERS)("/request-access on %s", (driver) => {
  let t: TestDatabase;
  let i = 0;
  beforeAll(async () => {
    t = await createTestDatabase(driver);
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(() => {
    h.db = t.db;
    h.address = `198.51.100.${++i}`;
  });

  async function users(): Promise<number> {
    const [row] = await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from users`);
    return Number(row?.n);
  }

  it("answers the same for a new address and one that is already a user", async () => {
    const known = await addUser(t.db, { status: "archived" });
    const before = await users();
    const fresh = await requestAccessAction(
      START,
      form({ name: "Nia New", email: "nia.new@example.test", message: "Hello" }),
    );
    h.address = "198.51.100.99";
    const again = await requestAccessAction(
      START,
      form({ name: "Nia New", email: known.email, message: "Hello" }),
    );
    expect(fresh).toEqual(again);
    expect(fresh).toMatchObject({ sent: true, error: null, fieldErrors: {} });
    expect(await users()).toBe(before + 1);
  });

  it("limits requests per address asked about and per client", async () => {
    const answers = [];
    for (let n = 0; n < PUBLIC_REQUEST_LIMITS.perEmail + 1; n++) {
      h.address = `203.0.113.${n + 1}`;
      answers.push(
        await requestAccessAction(
          START,
          form({ name: "Rae", email: "rae@example.test", message: "" }),
        ),
      );
    }
    expect(answers.filter((a) => a.sent)).toHaveLength(PUBLIC_REQUEST_LIMITS.perEmail);
    expect(answers.at(-1)?.error).toMatch(TOO_MANY);

    h.address = "203.0.113.200";
    const fromOne = [];
    for (let n = 0; n < PUBLIC_REQUEST_LIMITS.perClient + 1; n++) {
      fromOne.push(
        await requestAccessAction(
          START,
          form({ name: "Sol", email: `sol.${n}@example.test`, message: "" }),
        ),
      );
    }
    expect(fromOne.filter((a) => a.sent)).toHaveLength(PUBLIC_REQUEST_LIMITS.perClient);
    expect(fromOne.at(-1)?.error).toMatch(TOO_MANY);
  });

  it("names each bad field and creates nobody; a payload that is no form is refused", async () => {
    const before = await users();
    const bad = await requestAccessAction(
      START,
      form({ name: " ", email: "nope", message: "x".repeat(1001) }),
    );
    expect(bad.sent).toBe(false);
    expect(Object.keys(bad.fieldErrors).sort()).toEqual(["email", "message", "name"]);
    expect((await requestAccessAction(START, "x" as unknown as FormData)).sent).toBe(false);
    expect(await users()).toBe(before);
  });
});
