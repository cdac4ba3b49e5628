import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { endSessionsAction } from "@/app/(console)/users/[id]/end-sessions";
import { type Db, queryRows } from "@/db/client";
import type { User } from "@/db/schema";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "@/db/testing";
import { aDayFromNow, addUsers, asActor, run, selectionOf } from "@/lib/users/testing/fixtures";
import { authenticate } from "./authenticate";
import { hashPassword } from "./password";
import { SESSION_ENDED } from "./server-action";
import { sessionState } from "./session";
import { endSession } from "./sessions";

/** The cookie a browser holds: what Auth.js decodes from it on each request. */
type Cookie = { user: { id: string }; sv: number; sid: string };

const h = vi.hoisted(() => ({
  cookie: null as Cookie | null,
  db: null as Db | null,
}));

vi.mock("./auth", () => ({ auth: async () => h.cookie }));
vi.mock("@/lib/db", () => ({
  getDb: async () => {
    if (!h.db) throw new Error("no database");
    return h.db;
  },
}));
vi.mock("next/headers", () => ({ headers: async () => new Headers() }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const PASSWORD = "session-password";

describe.each(TEST_DRIVERS)("sessions on %s", (driver) => {
  let t: TestDatabase;
  let admin: User;
  let owner: User;
  let hash: string;

  beforeAll(async () => {
    t = await createTestDatabase(driver);
    hash = await hashPassword(PASSWORD);
    [owner, admin] = (await addUsers(t.db, [{ role: "owner" }, { role: "admin" }])) as [User, User];
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(() => {
    h.db = t.db;
    h.cookie = null;
  });

  /** Signs a user in for real (a session row), and returns the cookie a browser would keep. */
  async function signInAs(user: User): Promise<Cookie> {
    await t.db.execute(sql`update users set password_hash = ${hash} where id = ${user.id}::uuid`);
    const r = await authenticate(
      t.db,
      { email: user.email.toLowerCase(), password: PASSWORD, address: "192.0.2.10" },
      { verify: async (p, stored) => stored === hash && p === PASSWORD },
    );
    if (!r.ok) throw new Error(`sign-in failed: ${r.code}`);
    return { user: { id: r.user.id }, sv: r.user.sessionVersion, sid: r.user.sessionId };
  }

  /** How many of n requests with this cookie are served as signed in. */
  async function served(cookie: Cookie, n = 5): Promise<number> {
    let ok = 0;
    for (let i = 0; i < n; i++) {
      h.cookie = cookie;
      if ((await sessionState()).kind === "signed-in") ok++;
    }
    return ok;
  }

  it.each([
    ["deactivate", "deactivated"],
    ["archive", "deactivated"],
    ["delete", "ended"],
  ] as const)("%s mid-session: 0 successful requests after the commit", async (action, code) => {
    const [target] = (await addUsers(t.db, [{ role: "manager" }])) as [User];
    const cookie = await signInAs(target);
    expect(await served(cookie)).toBe(5);
    const input =
      action === "delete"
        ? { selection: selectionOf([target]), options: { confirm: "DELETE" } }
        : { selection: selectionOf([target]) };
    expect(await run(t.db, asActor(admin), action, input as never)).toMatchObject({ done: 1 });
    expect(await served(cookie, 20)).toBe(0);
    h.cookie = cookie;
    // A deleted account is told only that the session has ended.
    expect(await sessionState()).toEqual({ kind: "ended", code });
  });

  it("an access end date ends an open session at its first request from that minute, job or no job", async () => {
    const [target] = (await addUsers(t.db, [{ role: "member" }])) as [User];
    const cookie = await signInAs(target);
    // Within the session's 12 hours (PGlite's clock is the faked one too).
    const endsAt = aDayFromNow(new Date(Date.now() - 22 * 3_600_000));
    const input = { selection: selectionOf([target]), options: { endsAt } };
    expect(await run(t.db, asActor(admin), "scheduleDeactivation", input as never)).toMatchObject({
      done: 1,
    });
    // Only the clock moves: no job has run, the status is still active.
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(new Date(new Date(endsAt).getTime() - 60_000));
      h.cookie = cookie;
      expect(await sessionState()).toMatchObject({ kind: "signed-in" });
      expect(await served(cookie)).toBe(5);
      vi.setSystemTime(new Date(endsAt));
      expect(await served(cookie, 20)).toBe(0);
      h.cookie = cookie;
      expect(await sessionState()).toEqual({ kind: "ended", code: "access-ended" });
    } finally {
      vi.useRealTimers();
    }
  });

  it("a role change applies at the next request: the same session, the new role", async () => {
    const [target] = (await addUsers(t.db, [{ role: "admin" }])) as [User];
    const cookie = await signInAs(target);
    h.cookie = cookie;
    expect(await sessionState()).toMatchObject({ kind: "signed-in", actor: { role: "admin" } });
    const input = { selection: selectionOf([target]), options: { role: "member" } };
    expect(await run(t.db, asActor(owner), "changeRole", input as never)).toMatchObject({
      done: 1,
    });
    h.cookie = cookie;
    // Not signed out: the next request is theirs, with the role the database holds now.
    expect(await sessionState()).toMatchObject({ kind: "signed-in", actor: { role: "member" } });
    expect(await served(cookie)).toBe(5);
  });

  it("signed out: the copied cookie gets 0 successful requests; other sessions stay", async () => {
    const [target] = (await addUsers(t.db, [{ role: "support" }])) as [User];
    const laptop = await signInAs(target);
    const phone = await signInAs(target);
    const copy = { ...laptop };
    await endSession(t.db, laptop.sid);
    expect(await served(copy, 20)).toBe(0);
    expect(await served(phone)).toBe(5);
  });

  it("a cookie with a made-up or missing session id is refused", async () => {
    const [target] = (await addUsers(t.db, [{ role: "support" }])) as [User];
    const real = await signInAs(target);
    expect(await served({ ...real, sid: "00000000-0000-4000-8000-000000000000" })).toBe(0);
    expect(await served({ ...real, sid: "not-a-uuid" })).toBe(0);
    expect(await served({ user: real.user, sv: real.sv } as Cookie)).toBe(0);
  });

  it("End sessions: an admin signs a user out everywhere, audited; rank and permission checked", async () => {
    const [target, support] = (await addUsers(t.db, [
      { role: "manager" },
      { role: "support" },
    ])) as [User, User];
    const a = await signInAs(target);
    const b = await signInAs(target);
    // Support may not.
    h.cookie = await signInAs(support);
    expect(await endSessionsAction({ userId: target.id })).toEqual({
      ok: false,
      error: "You don't have permission to end other people's sessions.",
    });
    expect(await served(a)).toBe(5);
    // An admin may not end the owner's, nor their own.
    const adminCookie = await signInAs(admin);
    h.cookie = adminCookie;
    expect((await endSessionsAction({ userId: owner.id })).ok).toBe(false);
    h.cookie = adminCookie;
    expect((await endSessionsAction({ userId: admin.id })).ok).toBe(false);
    h.cookie = adminCookie;
    expect(await endSessionsAction({ userId: target.id, extra: 1 } as never)).toMatchObject({
      ok: false,
    });
    h.cookie = adminCookie;
    expect(await endSessionsAction({ userId: target.id })).toEqual({ ok: true, ended: 2 });
    expect(await served(a, 10)).toBe(0);
    expect(await served(b, 10)).toBe(0);
    expect(await served(adminCookie)).toBe(5);
    const events = await queryRows<{ action: string; actor_id: string }>(
      t.db,
      sql`select action, actor_id from audit_events where target_id = ${target.id}::uuid`,
    );
    expect(events).toEqual([{ action: "end-sessions", actor_id: admin.id }]);
    // Anonymous: told to sign in again, nothing changes.
    h.cookie = null;
    expect(await endSessionsAction({ userId: target.id })).toEqual({
      ok: false,
      error: SESSION_ENDED,
    });
  });

  it("a role downgrade applies at the next request", async () => {
    const [target] = (await addUsers(t.db, [{ role: "admin" }])) as [User];
    const [victim] = (await addUsers(t.db, [{ role: "member" }])) as [User];
    const cookie = await signInAs(target);
    h.cookie = cookie;
    const before = await sessionState();
    expect(before.kind === "signed-in" && before.actor.role).toBe("admin");
    await t.db.execute(sql`update users set role = 'member' where id = ${target.id}::uuid`);
    h.cookie = cookie;
    const after = await sessionState();
    expect(after.kind === "signed-in" && after.actor.role).toBe("member");
    h.cookie = cookie;
    expect(await endSessionsAction({ userId: victim.id })).toEqual({
      ok: false,
      error: "You don't have permission to end other people's sessions.",
    });
  });
});
