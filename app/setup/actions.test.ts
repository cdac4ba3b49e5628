import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { type Db, queryRows } from "@/db/client";
import { TEST_DRIVERS } from "@/db/testing";
import { useTestDatabase } from "@/db/testing-hooks";
import { ensureSetupCode, needsSetup, SETUP_CODE_WRONG, setupCodeMatches } from "@/lib/setup";
import { type SetupState, setupAction } from "./actions";

const h = vi.hoisted(() => ({ db: null as Db | null, token: undefined as string | undefined }));
vi.mock("@/lib/db", () => ({
  getDb: async () => {
    if (!h.db) throw new Error("no database");
    return h.db;
  },
}));
vi.mock("@/lib/env", async (original) => {
  const real = await original<typeof import("@/lib/env")>();
  return { ...real, settings: () => ({ ...real.readSettings({}), setupToken: h.token }) };
});
vi.mock("next/navigation", () => ({
  redirect: (to: string) => {
    throw new Error(`redirect ${to}`);
  },
}));

const EMPTY: SetupState = {
  error: null,
  fieldErrors: {},
  values: { code: "", name: "", email: "" },
};

function form(code: string, email = "fiona@example.com"): FormData {
  const f = new FormData();
  f.set("code", code);
  f.set("name", "Fiona First");
  f.set("email", email);
  f.set("password", "a-long-owner-password");
  f.set("confirm", "a-long-owner-password");
  return f;
}

const users = (db: Db) => queryRows<{ email: string }>(db, sql`select email from users`);

describe.each(TEST_DRIVERS)("first-run setup asks for the setup code, on %s", (driver) => {
  describe("a code generated at start", () => {
    const t = useTestDatabase(driver);
    beforeEach(() => {
      h.db = t.db;
      h.token = undefined;
    });

    it("is made once and shared: every instance prints and accepts the same one", async () => {
      const codes = await Promise.all([1, 2, 3].map(() => ensureSetupCode(t.db, undefined)));
      const printed = codes.map((c) => (c?.source === "generated" ? c.code : null));
      expect(printed[0]).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
      expect(new Set(printed).size).toBe(1);
      expect(codes.filter((c) => c?.source === "generated" && c.created)).toHaveLength(1);
    });

    it("refuses a missing or wrong code and creates nobody; the right one, typed loosely, works once", async () => {
      const code = await ensureSetupCode(t.db, undefined);
      if (code?.source !== "generated") throw new Error("expected a generated code");
      const missing = await setupAction(EMPTY, form(""));
      expect(missing.fieldErrors.code).toBe("Enter the setup code.");
      const wrong = await setupAction(EMPTY, form("AAAA-BBBB-CCCC-DDDD"));
      expect(wrong.fieldErrors.code).toBe(SETUP_CODE_WRONG);
      expect(wrong.values.code).toBe("AAAA-BBBB-CCCC-DDDD");
      const huge = await setupAction(EMPTY, form("x".repeat(100_000)));
      expect(huge.fieldErrors.code).toBe(SETUP_CODE_WRONG);
      expect(await users(t.db)).toEqual([]);
      expect(await needsSetup(t.db)).toBe(true);

      // Lower case, spaces instead of dashes: still the code.
      const typed = code.code.toLowerCase().replaceAll("-", " ");
      await expect(setupAction(EMPTY, form(typed))).rejects.toThrow(
        "redirect /sign-in?reason=set-up",
      );
      expect(await users(t.db)).toEqual([{ email: "fiona@example.com" }]);
      // Used up: the code is gone from the database, and setup is closed.
      expect(await setupCodeMatches(t.db, code.code, undefined)).toBe(false);
      expect(
        await queryRows(t.db, sql`select key from workspace_meta where key = 'setup_code'`),
      ).toEqual([]);
      expect(await ensureSetupCode(t.db, undefined)).toBeNull();
      const late = await setupAction(EMPTY, form(code.code, "late@example.com"));
      expect(late.error).toMatch(/already set up/);
      expect(await users(t.db)).toEqual([{ email: "fiona@example.com" }]);
    });
  });

  describe("ROSTER_SETUP_TOKEN from the environment", () => {
    const t = useTestDatabase(driver);
    beforeEach(() => {
      h.db = t.db;
      h.token = "an-operator-chosen-setup-token";
    });

    it("is the only code accepted, and none is generated", async () => {
      expect(await ensureSetupCode(t.db, h.token)).toEqual({ source: "environment" });
      expect(
        await queryRows(t.db, sql`select key from workspace_meta where key = 'setup_code'`),
      ).toEqual([]);
      const wrong = await setupAction(EMPTY, form("an-operator-chosen-setup-tokeN"));
      expect(wrong.fieldErrors.code).toBe(SETUP_CODE_WRONG);
      expect(await users(t.db)).toEqual([]);
      await expect(setupAction(EMPTY, form(" an-operator-chosen-setup-token "))).rejects.toThrow(
        "redirect /sign-in?reason=set-up",
      );
      expect(await users(t.db)).toEqual([{ email: "fiona@example.com" }]);
    });
  });
});
