import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Db } from "@/db/client";
import type { User } from "@/db/schema";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "@/db/testing";
import type { Actor } from "@/lib/session";
import { addUsers, snapshot } from "@/lib/users/testing/fixtures";
import { parseUsersView, usersFilterOf } from "@/lib/users/view";
import { lifecycleAction, previewAction } from "./actions";

function deleteUsers(input: Record<string, unknown>) {
  const { confirm, ...rest } = input;
  return lifecycleAction({ action: "delete", options: { confirm }, ...rest } as never);
}

const h = vi.hoisted(() => ({
  actor: null as Actor | null,
  db: null as Db | null,
}));

vi.mock("@/lib/session", () => ({
  sessionState: async () =>
    h.actor ? { kind: "signed-in", actor: h.actor } : { kind: "anonymous" },
}));
vi.mock("@/lib/db", () => ({
  getDb: async () => {
    if (!h.db) throw new Error("no database");
    return h.db;
  },
}));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ host: "localhost" }) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

/** The token's refusal: a delete refused with it was refused for its token, not its filter. */
const STALE_SELECTION = /isn't the selection the confirmation showed/;

const GOOD_FILTER = {
  tab: "rejected",
  q: "",
  roles: [],
  neverSignedIn: false,
  lastSignInBefore: null,
  accessEnding: false,
};

/**
 * Issue 7, section 1: each of these once widened to "everyone in Active" through the URL
 * schema's fallbacks. Through a server action, each must be refused, and nothing changes.
 */
const MALFORMED: [string, unknown][] = [
  ['tab "Rejected" (capital R)', { tab: "Rejected" }],
  ["tab Rejected, every other key right", { ...GOOD_FILTER, tab: "Rejected" }],
  ["an unknown role", { ...GOOD_FILTER, roles: ["superuser"] }],
  ['neverSignedIn "true"', { ...GOOD_FILTER, neverSignedIn: "true" }],
  ['accessEnding "true"', { ...GOOD_FILTER, accessEnding: "true" }],
  ["no accessEnding", { ...GOOD_FILTER, accessEnding: undefined }],
  ["an impossible date", { ...GOOD_FILTER, lastSignInBefore: "2024-99-99" }],
  ["February 30th", { ...GOOD_FILTER, lastSignInBefore: "2024-02-30" }],
  ["a search over 200 characters", { ...GOOD_FILTER, q: "x".repeat(201) }],
  ["{}", {}],
  ["an unknown key", { ...GOOD_FILTER, everyone: true }],
  ['"$@0"', "$@0"],
  ["what React decodes $@0 into", Promise.resolve({})],
  ["null", null],
];

describe.each(TEST_DRIVERS)("selections fail closed on %s", (driver) => {
  let t: TestDatabase;
  let admin: User;

  beforeAll(async () => {
    t = await createTestDatabase(driver);
    [, admin] = (await addUsers(t.db, [
      { role: "owner" },
      { role: "admin" },
      ...Array.from({ length: 6 }, () => ({ status: "active" as const })),
      ...Array.from({ length: 2 }, () => ({ status: "rejected" as const })),
    ])) as [User, User];
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(() => {
    h.db = t.db;
    h.actor = { ...admin, sessionVersion: admin.sessionVersion } as Actor;
  });

  /**
   * Valid tokens, previewed for the filters a lenient parse falls back to (the default view, and
   * the good filter less its wrong key): the delete carries one, so only its filter can refuse it.
   */
  let previewed: Promise<string[]> | undefined;
  function fallbackTokens(): Promise<string[]> {
    previewed ??= previewTokens();
    return previewed;
  }
  async function previewTokens(): Promise<string[]> {
    const tokens: string[] = [];
    for (const filter of [usersFilterOf(parseUsersView({})), GOOD_FILTER]) {
      const selection = { kind: "filter", filter, excludeIds: [] } as never;
      const preview = await previewAction({ action: "delete", selection, options: {} });
      if (!preview.ok) throw new Error(preview.error);
      tokens.push(preview.token);
    }
    return tokens;
  }

  for (const [label, filter] of MALFORMED) {
    it(`refuses ${label}: preview and delete, nothing changed`, async () => {
      const before = await snapshot(t.db);
      const selection = { kind: "filter", filter, excludeIds: [] } as never;
      const preview = await previewAction({ action: "delete", selection, options: {} });
      expect(preview.ok, JSON.stringify(preview)).toBe(false);
      if (!preview.ok) expect(preview.error).toMatch(/Nothing was changed\.$/);
      for (const token of await fallbackTokens()) {
        const applied = await deleteUsers({ selection, confirm: "DELETE", token });
        expect(applied.ok, JSON.stringify(applied)).toBe(false);
        if (!applied.ok) expect(applied.error).not.toMatch(STALE_SELECTION);
        // Without excludeIds too: a missing key is no more a default than a wrong one.
        const bare = await deleteUsers({
          selection: { kind: "filter", filter } as never,
          confirm: "DELETE",
          token,
        });
        expect(bare.ok).toBe(false);
        if (!bare.ok) expect(bare.error).not.toMatch(STALE_SELECTION);
      }
      expect(await snapshot(t.db)).toEqual(before);
    });
  }

  it("the filter applied is the filter previewed: the token must match", async () => {
    const before = await snapshot(t.db);
    const selection = { kind: "filter" as const, filter: GOOD_FILTER, excludeIds: [] };
    const preview = await previewAction({
      action: "delete",
      selection: selection as never,
      options: {},
    });
    expect(preview).toMatchObject({ ok: true, willChangeCount: 2 });
    if (!preview.ok) return;
    expect(preview.token).toMatch(/^v1\.[\w.-]{60,}$/);
    const wider = { ...selection, filter: { ...GOOD_FILTER, tab: "active" } };
    for (const attempt of [
      { selection, confirm: "DELETE" }, // no token
      { selection, confirm: "DELETE", token: "forged" },
      { selection: wider, confirm: "DELETE", token: preview.token },
    ]) {
      const result = await deleteUsers(attempt);
      expect(result).toMatchObject({
        ok: false,
        error: expect.stringMatching(/confirmation showed/),
      });
    }
    // The token is for one action: it doesn't let another action through.
    const otherAction = await previewAction({
      action: "archive",
      selection: selection as never,
      options: {},
    });
    expect(otherAction.ok && otherAction.token).not.toBe(preview.token);
    expect(await snapshot(t.db)).toEqual(before);
    const done = await deleteUsers({ selection, confirm: "DELETE", token: preview.token });
    expect(done).toMatchObject({ ok: true, done: 2 });
  });
});
