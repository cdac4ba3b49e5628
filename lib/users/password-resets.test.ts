import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import type { User, UserStatus } from "@/db/schema";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "@/db/testing";
import { resolveAuthSecret } from "@/lib/env";
import { renderBody } from "@/lib/mail/sealed-link";
import { verifyPassword } from "@/lib/password";
import { createSession } from "@/lib/sessions";
import {
  completePasswordReset,
  inspectPasswordReset,
  PASSWORD_RESET_MESSAGES,
  PASSWORD_RESET_TTL_MINUTES,
  requestPasswordReset,
} from "./password-resets";
import { addOwnerAndAdmins, addUser, asActor, run, selectionOf } from "./testing/fixtures";

const BASE = "https://roster.example";
const NEW_PASSWORD = "a-brand-new-password";

describe.each(TEST_DRIVERS)("password resets on %s", (driver) => {
  let t: TestDatabase;
  let owner: User;
  let admin: User;

  beforeAll(async () => {
    t = await createTestDatabase(driver);
    [owner, admin] = await addOwnerAndAdmins(t.db);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** The reset links emailed to a user, oldest first: the only place a token lives. */
  async function linksOf(id: string): Promise<string[]> {
    const rows = await queryRows<{ body: string; sealed_token: string | null }>(
      t.db,
      sql`select body, sealed_token from outbox where user_id = ${id} and kind = 'password-reset' order by id`,
    );
    return rows.map((r) => {
      expect(r.body).not.toMatch(/\/reset-password\/[A-Za-z0-9_-]{43}/);
      const text = renderBody(r.body, r.sealed_token, resolveAuthSecret());
      const match = text.match(
        /https?:\/\/roster\.(?:example|test)\/reset-password\/([A-Za-z0-9_-]{43})/,
      );
      if (!match?.[1]) throw new Error(`no link in ${text}`);
      return match[1];
    });
  }

  async function state(id: string) {
    const [row] = await queryRows<{
      password_hash: string | null;
      session_version: number;
      sessions: number;
      events: number;
    }>(
      t.db,
      sql`select password_hash, session_version,
            (select count(*)::int from sessions s where s.user_id = u.id) as sessions,
            (select count(*)::int from audit_events a where a.target_id = u.id) as events
          from users u where id = ${id}`,
    );
    if (!row) throw new Error("no user");
    return row;
  }

  it("'Forgot password?' emails an active user a single-use link, found by any case of the address", async () => {
    const user = await addUser(t.db, { status: "active" });
    await requestPasswordReset(t.db, { email: user.email.toUpperCase(), baseUrl: BASE });
    const [token] = await linksOf(user.id);
    expect(token).toBeTruthy();
    expect(await inspectPasswordReset(t.db, token ?? "")).toEqual({
      state: "valid",
      email: user.email,
    });
  });

  it("sends nothing for an unknown address or a user who is not active", async () => {
    const before = await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from outbox`);
    await requestPasswordReset(t.db, { email: "nobody@example.test", baseUrl: BASE });
    for (const status of ["inactive", "archived", "rejected", "pending", "invited"] as const) {
      const user = await addUser(t.db, { status });
      await requestPasswordReset(t.db, { email: user.email, baseUrl: BASE });
    }
    const after = await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from outbox`);
    expect(after[0]?.n).toBe(before[0]?.n);
  });

  it("using the link sets the password, ends every session, is audited, and works once", async () => {
    const user = await addUser(t.db, { status: "active" });
    const now = new Date();
    await createSession(t.db, user.id, now);
    await createSession(t.db, user.id, now);
    await requestPasswordReset(t.db, { email: user.email, baseUrl: BASE });
    const [token = ""] = await linksOf(user.id);
    const before = await state(user.id);
    expect(before.sessions).toBe(2);

    const done = await completePasswordReset(t.db, { token, password: NEW_PASSWORD });
    expect(done).toEqual({ ok: true, email: user.email });
    const after = await state(user.id);
    expect(await verifyPassword(NEW_PASSWORD, after.password_hash ?? "")).toBe(true);
    expect(after.sessions).toBe(0);
    expect(after.session_version).toBe(before.session_version + 1);
    const events = await queryRows<{ action: string; actor_id: string; from_status: string }>(
      t.db,
      sql`select action, actor_id, from_status from audit_events where target_id = ${user.id}`,
    );
    expect(events).toEqual([
      { action: "reset-password", actor_id: user.id, from_status: "active" },
    ]);

    const again = await completePasswordReset(t.db, { token, password: "another-password-2" });
    expect(again).toMatchObject({ ok: false, code: "used", error: PASSWORD_RESET_MESSAGES.used });
    expect((await state(user.id)).password_hash).toBe(after.password_hash);
  });

  it("a newer link ends the older one; an expired, unknown or malformed link changes nothing", async () => {
    const user = await addUser(t.db, { status: "active" });
    const t0 = new Date();
    await requestPasswordReset(t.db, { email: user.email, baseUrl: BASE, now: t0 });
    await requestPasswordReset(t.db, { email: user.email, baseUrl: BASE, now: t0 });
    const [older = "", newer = ""] = await linksOf(user.id);
    const before = await state(user.id);
    expect(
      await completePasswordReset(t.db, { token: older, password: NEW_PASSWORD }),
    ).toMatchObject({ ok: false, code: "expired" });
    const late = new Date(t0.getTime() + PASSWORD_RESET_TTL_MINUTES * 60_000 + 1);
    expect(
      await completePasswordReset(t.db, { token: newer, password: NEW_PASSWORD, now: late }),
    ).toMatchObject({ ok: false, code: "expired" });
    for (const token of ["x".repeat(43), "not a token", ""]) {
      expect(await completePasswordReset(t.db, { token, password: NEW_PASSWORD })).toMatchObject({
        ok: false,
        code: "unknown",
      });
    }
    expect(await completePasswordReset(t.db, { token: newer, password: "short" })).toMatchObject({
      ok: false,
      code: "invalid-password",
    });
    expect(await state(user.id)).toEqual(before);
  });

  it("a link stops working when its user is no longer active, and says nothing of why", async () => {
    const user = await addUser(t.db, { status: "active" });
    await requestPasswordReset(t.db, { email: user.email, baseUrl: BASE });
    const [token = ""] = await linksOf(user.id);
    await run(t.db, asActor(admin), "deactivate", { selection: selectionOf([user]) });
    const before = await state(user.id);
    expect(await inspectPasswordReset(t.db, token)).toEqual({ state: "expired", email: null });
    expect(await completePasswordReset(t.db, { token, password: NEW_PASSWORD })).toMatchObject({
      ok: false,
      code: "expired",
    });
    expect(await state(user.id)).toEqual(before);
  });

  describe("'Send password reset' (the verb)", () => {
    it("support, an admin and the owner send one to an active user ranked below them, audited", async () => {
      const support = await addUser(t.db, { role: "support", status: "active" });
      for (const actor of [support, admin, owner]) {
        const target = await addUser(t.db, { role: "member", status: "active" });
        const result = await run(t.db, asActor(actor), "sendPasswordReset", {
          selection: selectionOf([target]),
        });
        expect(result).toMatchObject({ ok: true, done: 1, skippedCount: 0 });
        const [token = ""] = await linksOf(target.id);
        expect((await inspectPasswordReset(t.db, token)).state).toBe("valid");
        const [event] = await queryRows<Record<string, unknown>>(
          t.db,
          sql`select action, actor_id, from_status, to_status from audit_events where target_id = ${target.id}`,
        );
        expect(event).toEqual({
          action: "sendPasswordReset",
          actor_id: actor.id,
          from_status: "active",
          to_status: "active",
        });
      }
    });

    it("skips users not active, themselves, the owner and equal ranks; a manager may not", async () => {
      const support = await addUser(t.db, { role: "support", status: "active" });
      const targets: User[] = [];
      for (const status of ["inactive", "invited", "pending", "archived"] as UserStatus[]) {
        targets.push(await addUser(t.db, { status }));
      }
      const peer = await addUser(t.db, { role: "support", status: "active" });
      const result = await run(t.db, asActor(support), "sendPasswordReset", {
        selection: selectionOf([...targets, peer, support, owner]),
      });
      expect(result).toMatchObject({
        ok: true,
        done: 0,
        skippedByReason: { status: 4, rank: 1, self: 1, owner: 1 },
      });
      const manager = await addUser(t.db, { role: "manager", status: "active" });
      const member = await addUser(t.db, { status: "active" });
      const refused = await run(t.db, asActor(manager), "sendPasswordReset", {
        selection: selectionOf([member]),
      });
      expect(refused).toMatchObject({ ok: false });
      const [row] = await queryRows<{ n: number }>(
        t.db,
        sql`select count(*)::int as n from password_resets where user_id = any(${`{${[...targets, peer, member].map((u) => u.id).join(",")}}`}::uuid[])`,
      );
      expect(row?.n).toBe(0);
    });
  });
});
