import { sql } from "drizzle-orm";
import { redirect } from "next/navigation";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { type Db, queryRows } from "@/db/client";
import type { User } from "@/db/schema";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "@/db/testing";
import { resolveAuthSecret } from "@/lib/env";
import { renderBody } from "@/lib/mail/sealed-link";
import { log } from "@/lib/ops/log";
import { SERVER_ERROR, SESSION_ENDED } from "@/lib/server-action";
import type { Actor } from "@/lib/session";
import {
  addRecords,
  addUsers,
  auditFor,
  selectionOf,
  snapshot,
} from "@/lib/users/testing/fixtures";
import { permissionError } from "@/lib/users/transitions";
import type { Verb } from "@/model/verbs";
import {
  lifecycleAction,
  newUsersAction,
  previewAction,
  previewNewUsersAction,
  searchNewOwners,
} from "./actions";

/** The one server action, called as the browser would for one verb. */
function act(action: Verb, input: Record<string, unknown>) {
  return lifecycleAction({ action, options: {}, ...input } as never);
}

type State =
  | { kind: "anonymous" }
  | { kind: "ended"; code: string }
  | { kind: "signed-in"; actor: Actor };

const h = vi.hoisted(() => {
  // The configured public origin: links in emails start with it, whatever the request says.
  process.env.ROSTER_URL = "https://roster.example.com";
  return {
    state: { kind: "anonymous" } as State | (() => never),
    db: null as Db | null,
    headers: new Headers(),
    revalidated: [] as string[],
  };
});

vi.mock("@/lib/session", () => ({
  sessionState: async () => (typeof h.state === "function" ? h.state() : h.state),
}));
vi.mock("@/lib/db", () => ({
  getDb: async () => {
    if (!h.db) throw new Error("no database");
    return h.db;
  },
}));
vi.mock("next/headers", () => ({ headers: async () => h.headers }));
vi.mock("next/cache", () => ({
  revalidatePath: (path: string) => {
    h.revalidated.push(path);
  },
}));

function signIn(user: User) {
  h.state = { kind: "signed-in", actor: user };
}

describe.each(TEST_DRIVERS)("server actions on %s", (driver) => {
  let t: TestDatabase;
  let admin: User;
  let support: User;
  let manager: User;

  beforeAll(async () => {
    t = await createTestDatabase(driver);
    [, admin, support, manager] = (await addUsers(t.db, [
      { role: "owner", name: "Owner Person" },
      { role: "admin", name: "Adminka Boss" },
      { role: "support" },
      { role: "manager" },
    ])) as [User, User, User, User];
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(() => {
    h.db = t.db;
    h.headers = new Headers({ host: "localhost:3000" });
    h.revalidated = [];
  });

  it("an ended or missing session is told to sign in again, and nothing changes", async () => {
    const [u] = (await addUsers(t.db, [{}])) as [User];
    const state = await snapshot(t.db);
    for (const s of [{ kind: "anonymous" }, { kind: "ended", code: "deactivated" }] as State[]) {
      h.state = s;
      expect(await act("archive", { selection: selectionOf([u]) })).toEqual({
        ok: false,
        error: SESSION_ENDED,
      });
    }
    expect(await snapshot(t.db)).toEqual(state);
  });

  it("a malformed payload gets a clear message and never reaches the database", async () => {
    signIn(admin);
    h.db = null;
    const result = await act("archive", {
      selection: {
        kind: "ids",
        targets: [{ id: "1; drop table users", expectedStatus: "active" }],
      },
    });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.error).toMatch(/selection\.targets\.0\.id.*Nothing was changed\.$/);
    const empty = await act("archive", { selection: { kind: "ids", targets: [] } });
    expect(empty).toEqual({
      ok: false,
      error: "Select at least one user (selection.targets). Nothing was changed.",
    });
    // Not even an object.
    expect((await lifecycleAction(42 as never)).ok).toBe(false);
  });

  it("checks the permission before the domain call", async () => {
    const [u] = (await addUsers(t.db, [{}])) as [User];
    const state = await snapshot(t.db);
    signIn(support);
    expect(await act("archive", { selection: selectionOf([u]) })).toEqual({
      ok: false,
      error: permissionError("archive"),
    });
    signIn(manager);
    expect(
      await act("delete", { selection: selectionOf([u]), options: { confirm: "DELETE" } }),
    ).toEqual({
      ok: false,
      error: permissionError("delete"),
    });
    expect(await snapshot(t.db)).toEqual(state);
    expect(h.revalidated).toEqual([]);
  });

  it("applies, audits with the request id, and revalidates the pages that show it", async () => {
    const [u] = (await addUsers(t.db, [{}])) as [User];
    signIn(admin);
    h.headers = new Headers({
      host: "localhost:3000",
      "x-request-id": "0af76519-16cd-43dd-8448-eb211c80319c",
    });
    const result = await act("deactivate", {
      selection: selectionOf([u]),
      reason: "Contract ended",
    });
    expect(result).toMatchObject({ ok: true, done: 1 });
    expect(h.revalidated).toEqual(["/users", "/audit"]);
    expect(await auditFor(t.db, [u.id])).toEqual([
      expect.objectContaining({
        actor_id: admin.id,
        request_id: "0af76519-16cd-43dd-8448-eb211c80319c",
        reason: "Contract ended",
      }),
    ]);
  });

  it("builds invitation links from ROSTER_URL, never from Host or X-Forwarded-Host", async () => {
    const [u] = (await addUsers(t.db, [{ status: "inactive" }])) as [User];
    signIn(support);
    h.headers = new Headers({
      host: "evil.example",
      "x-forwarded-host": "evil.example",
      "x-forwarded-proto": "http",
      origin: "http://evil.example",
    });
    expect(await act("reinvite", { selection: selectionOf([u]) })).toMatchObject({
      ok: true,
      done: 1,
    });
    const [mail] = await queryRows<{ body: string; sealed_token: string | null }>(
      t.db,
      sql`select body, sealed_token from outbox where user_id = ${u.id}::uuid`,
    );
    // The token is sealed until sent (lib/mail/sealed-link.ts): the email as sent has the link.
    expect(mail?.body).not.toContain("evil.example");
    expect(renderBody(mail?.body ?? "", mail?.sealed_token ?? null, resolveAuthSecret())).toMatch(
      /https:\/\/roster\.example\.com\/invite\/[A-Za-z0-9_-]{43}/,
    );
  });

  it("an unexpected error is logged and answered calmly; redirects are re-thrown", async () => {
    const [u] = (await addUsers(t.db, [{}])) as [User];
    signIn(admin);
    const logged = vi.spyOn(log(), "error").mockImplementation(() => {});
    // A database that has gone away: every statement fails.
    const gone = () => Promise.reject(new Error("connection reset"));
    h.db = { transaction: gone, execute: gone } as unknown as Db;
    expect(await act("archive", { selection: selectionOf([u]) })).toEqual({
      ok: false,
      error: SERVER_ERROR,
    });
    expect(logged).toHaveBeenCalledWith(
      expect.objectContaining({
        msg: "action failed",
        action: "lifecycle",
        error: expect.objectContaining({ message: "connection reset" }),
      }),
    );
    logged.mockRestore();
    h.state = () => redirect("/sign-in");
    await expect(act("archive", { selection: selectionOf([u]) })).rejects.toMatchObject({
      digest: expect.stringMatching(/^NEXT_REDIRECT/),
    });
  });

  it("preview: permission of the action asked about, then the plan", async () => {
    const [leaver] = (await addUsers(t.db, [{}])) as [User];
    await addRecords(t.db, leaver.id, { project: 1 });
    signIn(support);
    expect(
      await previewAction({ action: "archive", selection: selectionOf([leaver]), options: {} }),
    ).toEqual({
      ok: false,
      error: permissionError("archive"),
    });
    signIn(admin);
    expect(
      await previewAction({ action: "archive", selection: selectionOf([leaver]), options: {} }),
    ).toMatchObject({
      ok: true,
      willChangeCount: 1,
      ownership: [{ userId: leaver.id, project: 1, automation: 0 }],
    });
    expect(h.revalidated).toEqual([]);
  });

  it("new owner search: active admins and the owner, by name or email, less who the action changes; errors are answers", async () => {
    const [member] = (await addUsers(t.db, [{}])) as [User];
    const selection = selectionOf([member]);
    signIn(manager);
    expect(await searchNewOwners({ query: "", action: "archive", selection })).toEqual({
      ok: false,
      error: permissionError("archive"),
    });
    signIn(admin);
    const all = await searchNewOwners({ query: "", action: "archive", selection });
    if (!all.ok) throw new Error(all.error);
    expect(all.owners.map((o) => o.role).sort()).toEqual(["admin", "owner"]);
    const named = await searchNewOwners({ query: "adminka", action: "delete", selection });
    expect(named.ok && named.owners.map((o) => o.id)).toEqual([admin.id]);
    // The whole Active tab, sent as a filter: the admin acting is not changed, so stays eligible.
    const tab = await searchNewOwners({
      query: "",
      action: "archive",
      selection: {
        kind: "filter",
        filter: {
          tab: "active",
          q: "",
          roles: [],
          neverSignedIn: false,
          lastSignInBefore: null,
          accessEnding: false,
        },
        excludeIds: [],
      },
    });
    expect(tab.ok && tab.owners.map((o) => o.role).sort()).toEqual(["admin", "owner"]);
    const bad = await searchNewOwners({
      query: "",
      action: "archive",
      selection: { kind: "ids", targets: [{ id: "nope", expectedStatus: "active" }] },
    });
    expect(bad.ok).toBe(false);
  });
  it("invite: members, managers and the signed-out are refused before the database; an admin previews, then invites what was shown", async () => {
    const email = `invitee.${driver}@example.test`;
    const input = {
      action: "invite" as const,
      options: { emails: email, role: "member" as const },
    };
    const state = await snapshot(t.db);
    const [member] = (await addUsers(t.db, [{ role: "member" }])) as [User];
    const before = await snapshot(t.db);
    for (const who of [member, manager]) {
      signIn(who);
      const refused = { ok: false, error: "You don't have permission to invite people." };
      expect(await previewNewUsersAction(input)).toEqual(refused);
      expect(await newUsersAction(input)).toEqual(refused);
    }
    h.state = { kind: "anonymous" };
    expect(await newUsersAction(input)).toEqual({ ok: false, error: SESSION_ENDED });
    signIn(admin);
    expect(
      await newUsersAction({ ...input, options: { ...input.options, extra: 1 } } as never),
    ).toEqual({
      ok: false,
      error: expect.stringMatching(/Nothing was changed\.$/),
    });
    expect(await snapshot(t.db)).toEqual(before);
    expect(state).not.toEqual(before);
    const preview = await previewNewUsersAction(input);
    if (!preview.ok) throw new Error(preview.error);
    expect([preview.willInviteCount, preview.skippedCount]).toEqual([1, 0]);
    expect(await newUsersAction({ ...input, expected: preview.fingerprint })).toEqual({
      ok: true,
      done: 1,
      skippedCount: 0,
      skipped: [],
    });
    expect(h.revalidated).toEqual(["/users", "/audit"]);
    const [link] = await queryRows<{ body: string; sealed_token: string }>(
      t.db,
      sql`select body, sealed_token from outbox where to_email = ${email}`,
    );
    expect(renderBody(link?.body ?? "", link?.sealed_token ?? null, resolveAuthSecret())).toContain(
      "https://roster.example.com/invite/",
    );
  });
});
