import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { type UserStatus, users } from "@/db/schema";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "@/db/testing";
import { resolveAuthSecret } from "@/lib/env";
import { renderBody } from "@/lib/mail/sealed-link";
import { verifyPassword } from "@/lib/password";
import {
  acceptInvitation,
  createInvitations,
  INVITATION_MESSAGES,
  invitationState,
  queueNotices,
  revokeInvitations,
} from "./invitations";

const BASE = "https://roster.example";
const DAY = 24 * 60 * 60 * 1000;
const SEATS = 1000;

describe.each(TEST_DRIVERS)("invitations on %s", (driver) => {
  let t: TestDatabase;
  let adminId: string;
  let n = 0;

  async function addUser(status: UserStatus, name = `Person ${++n}`): Promise<string> {
    const [row] = await t.db
      .insert(users)
      .values({ name, email: `p${n}-${status}@example.test`, role: "member", status })
      .returning({ id: users.id });
    if (!row) throw new Error("insert failed");
    return row.id;
  }

  async function user(id: string) {
    const [row] = await queryRows<{
      status: UserStatus;
      password_hash: string | null;
      status_changed_by: string | null;
    }>(t.db, sql`select status, password_hash, status_changed_by from users where id = ${id}`);
    return row;
  }

  /** The invitation links emailed to a user, oldest first: the only place a token lives. */
  async function tokensOf(id: string): Promise<string[]> {
    const rows = await queryRows<{ body: string; sealed_token: string | null }>(
      t.db,
      sql`select body, sealed_token from outbox where user_id = ${id} and kind = 'invitation' order by id`,
    );
    return rows.map((r) => {
      // Stored sealed (never in the body); the email as sent carries it.
      expect(r.body).not.toMatch(/\/invite\/[A-Za-z0-9_-]{43}/);
      const text = renderBody(r.body, r.sealed_token, resolveAuthSecret());
      const match = text.match(/\/invite\/([A-Za-z0-9_-]+)/);
      if (!match?.[1]) throw new Error(`no link in ${text}`);
      return match[1];
    });
  }

  async function invite(ids: string[], now?: Date): Promise<void> {
    await t.db.transaction((tx) =>
      createInvitations(tx, { userIds: ids, createdBy: adminId, baseUrl: BASE, now }),
    );
  }

  async function auditCount(id: string): Promise<number> {
    const [row] = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from audit_events where target_id = ${id} and action = 'accept-invitation'`,
    );
    return Number(row?.n);
  }

  async function seatCount(): Promise<number> {
    const [row] = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from users where status in ('invited', 'active')`,
    );
    return Number(row?.n);
  }

  beforeAll(async () => {
    t = await createTestDatabase(driver);
    adminId = await addUser("active", "Adam Admin");
  });
  afterAll(async () => {
    await t?.close();
  });

  it("emails a link, and accepting it sets the password and makes the user active", async () => {
    const id = await addUser("invited", "Ivy Invited");
    await invite([id]);
    const [email] = await queryRows<{ to_email: string; subject: string; body: string }>(
      t.db,
      sql`select to_email, subject, body from outbox where user_id = ${id}`,
    );
    expect(email?.to_email).toMatch(/@example\.test$/);
    expect(email?.subject).toBe("You're invited to Roster");
    // The greeting, a blank line, then the text every invitation of this batch shares.
    expect(email?.body).toMatch(/^Hi Ivy,\n\nAdam Admin invited you to your workspace on Roster\./);
    expect(email?.body).toMatch(/\nIf you weren't expecting this email, you can ignore it\.$/);
    const [token] = await tokensOf(id);
    expect(email?.body).toContain(`${BASE}/invite/{invitation-token}`);
    expect(email?.body).not.toContain(token);
    expect(await invitationState(t.db, token!)).toBe("valid");

    const result = await acceptInvitation(t.db, {
      token: token!,
      password: "correct horse",
      seatLimit: SEATS,
    });
    expect(result).toEqual({ ok: true, email: email?.to_email });
    const after = await user(id);
    expect(after?.status).toBe("active");
    expect(after?.status_changed_by).toBe(id);
    expect(await verifyPassword("correct horse", after?.password_hash ?? null)).toBe(true);
    expect(await verifyPassword("wrong horse", after?.password_hash ?? null)).toBe(false);

    const [event] = await queryRows<{
      actor_id: string;
      from_status: string;
      to_status: string;
    }>(
      t.db,
      sql`select actor_id, from_status, to_status from audit_events where target_id = ${id} and action = 'accept-invitation'`,
    );
    expect(event).toEqual({ actor_id: id, from_status: "invited", to_status: "active" });

    // Single use: a second try is refused and changes nothing.
    const again = await acceptInvitation(t.db, {
      token: token!,
      password: "another password",
      seatLimit: SEATS,
    });
    expect(again).toEqual({ ok: false, code: "used", error: INVITATION_MESSAGES.used });
    expect(await invitationState(t.db, token!)).toBe("used");
    expect(await verifyPassword("correct horse", (await user(id))?.password_hash ?? null)).toBe(
      true,
    );
    expect(await auditCount(id)).toBe(1);
  });

  it("refuses an expired invitation and changes nothing", async () => {
    const id = await addUser("invited");
    const sent = new Date(Date.now() - 8 * DAY);
    await invite([id], sent);
    const [token] = await tokensOf(id);
    expect(await invitationState(t.db, token!, new Date(sent.getTime() + 6 * DAY))).toBe("valid");
    expect(await invitationState(t.db, token!)).toBe("expired");
    const result = await acceptInvitation(t.db, {
      token: token!,
      password: "long enough",
      seatLimit: SEATS,
    });
    expect(result).toEqual({ ok: false, code: "expired", error: INVITATION_MESSAGES.expired });
    expect(await user(id)).toMatchObject({ status: "invited", password_hash: null });
    expect(await auditCount(id)).toBe(0);
  });

  it("refuses unknown and malformed tokens", async () => {
    for (const token of ["garbage", "", "A".repeat(43), `${"a".repeat(42)}!`]) {
      expect(await invitationState(t.db, token)).toBe("unknown");
      const result = await acceptInvitation(t.db, {
        token,
        password: "long enough",
        seatLimit: SEATS,
      });
      expect(result).toMatchObject({ ok: false, code: "unknown" });
    }
  });

  it("refuses a short password with a clear message and changes nothing", async () => {
    const id = await addUser("invited");
    await invite([id]);
    const [token] = await tokensOf(id);
    const result = await acceptInvitation(t.db, {
      token: token!,
      password: "short",
      seatLimit: SEATS,
    });
    expect(result).toEqual({
      ok: false,
      code: "invalid-password",
      error: "Use a password of at least 8 characters.",
    });
    expect(await invitationState(t.db, token!)).toBe("valid");
    expect(await user(id)).toMatchObject({ status: "invited", password_hash: null });
  });

  it("a new invitation revokes the older one", async () => {
    const id = await addUser("invited");
    await invite([id]);
    await invite([id]);
    const [first, second] = await tokensOf(id);
    expect(first).not.toBe(second);
    expect(await invitationState(t.db, first!)).toBe("expired");
    expect(
      await acceptInvitation(t.db, { token: first!, password: "long enough", seatLimit: SEATS }),
    ).toMatchObject({ ok: false, code: "expired" });
    expect(
      await acceptInvitation(t.db, { token: second!, password: "long enough", seatLimit: SEATS }),
    ).toMatchObject({ ok: true });
  });

  it("invites many users with one invitation and one email each", async () => {
    const ids = [await addUser("invited"), await addUser("inactive"), await addUser("invited")];
    await invite([...ids, ids[0]!]);
    const [counts] = await queryRows<{ invitations: number; emails: number }>(
      t.db,
      sql`select
            (select count(*)::int from invitations where user_id in (${sql.join(ids, sql`, `)})) as invitations,
            (select count(*)::int from outbox where user_id in (${sql.join(ids, sql`, `)})) as emails`,
    );
    expect(counts).toEqual({ invitations: 3, emails: 3 });
    for (const id of ids) expect(await tokensOf(id)).toHaveLength(1);
  });

  it("refuses to invite users who are neither invited nor inactive, inviting nobody", async () => {
    const invited = await addUser("invited");
    const archived = await addUser("archived");
    await expect(invite([invited, archived])).rejects.toThrow(/not invited or inactive/);
    expect(await tokensOf(invited)).toHaveLength(0);
  });

  it("stores the token's hash and the token sealed: no table holds it readable", async () => {
    const id = await addUser("invited");
    await invite([id]);
    const [token] = await tokensOf(id);
    const tables = await queryRows<{ table_name: string }>(
      t.db,
      sql`select table_name from information_schema.tables
          where table_schema = 'public' and table_type = 'BASE TABLE'`,
    );
    expect(tables.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(["invitations", "outbox", "users", "audit_events"]),
    );
    const found: Record<string, number> = {};
    for (const { table_name } of tables) {
      const [row] = await queryRows<{ n: number }>(
        t.db,
        sql`select count(*)::int as n from ${sql.identifier(table_name)} r where r::text like ${`%${token}%`}`,
      );
      if (Number(row?.n)) found[table_name] = Number(row?.n);
    }
    expect(found).toEqual({});
    const [stored] = await queryRows<{ token_hash: string }>(
      t.db,
      sql`select token_hash from invitations where user_id = ${id}`,
    );
    expect(stored?.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("an inactive user needs a free seat to accept", async () => {
    const id = await addUser("inactive");
    await invite([id]);
    const [token] = await tokensOf(id);
    const full = await seatCount();
    const refused = await acceptInvitation(t.db, {
      token: token!,
      password: "long enough",
      seatLimit: full,
    });
    expect(refused).toEqual({ ok: false, code: "no-seat", error: INVITATION_MESSAGES["no-seat"] });
    expect(await user(id)).toMatchObject({ status: "inactive", password_hash: null });
    expect(await invitationState(t.db, token!)).toBe("valid");
    expect(await auditCount(id)).toBe(0);

    const accepted = await acceptInvitation(t.db, {
      token: token!,
      password: "long enough",
      seatLimit: full + 1,
    });
    expect(accepted).toMatchObject({ ok: true });
    expect((await user(id))?.status).toBe("active");
    expect(await seatCount()).toBe(full + 1);
    const [event] = await queryRows<{ from_status: string; to_status: string }>(
      t.db,
      sql`select from_status, to_status from audit_events where target_id = ${id}`,
    );
    expect(event).toEqual({ from_status: "inactive", to_status: "active" });
  });

  it("an invited user already holds a seat: accepting needs no free one", async () => {
    const id = await addUser("invited");
    await invite([id]);
    const [token] = await tokensOf(id);
    const result = await acceptInvitation(t.db, {
      token: token!,
      password: "long enough",
      seatLimit: await seatCount(),
    });
    expect(result).toMatchObject({ ok: true });
  });

  it("a link dies when the user moves on: revoked, archived or already active", async () => {
    const revoked = await addUser("invited");
    await invite([revoked]);
    const [revokedToken] = await tokensOf(revoked);
    await revokeInvitations(t.db, [revoked]);
    expect(await invitationState(t.db, revokedToken!)).toBe("expired");

    const archived = await addUser("invited");
    await invite([archived]);
    const [archivedToken] = await tokensOf(archived);
    await t.db.execute(sql`update users set status = 'archived' where id = ${archived}`);
    expect(await invitationState(t.db, archivedToken!)).toBe("expired");
    expect(
      await acceptInvitation(t.db, {
        token: archivedToken!,
        password: "long enough",
        seatLimit: SEATS,
      }),
    ).toMatchObject({ ok: false, code: "not-invitable" });
    expect((await user(archived))?.status).toBe("archived");
  });

  it("two accepts of one link at once: exactly one wins", async () => {
    const id = await addUser("invited");
    await invite([id]);
    const [token] = await tokensOf(id);
    const results = await Promise.all(
      ["first password", "second password"].map((password) =>
        acceptInvitation(t.db, { token: token!, password, seatLimit: SEATS }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([
      { ok: false, code: "used", error: INVITATION_MESSAGES.used },
    ]);
    expect(await auditCount(id)).toBe(1);
  });

  it("queues notices in one go, never to archived or rejected users", async () => {
    const inactive = await addUser("inactive", "Nia Notice");
    const active = await addUser("active", "Rex Restored");
    const archived = await addUser("archived");
    await t.db.transaction(async (tx) => {
      await queueNotices(tx, { userIds: [inactive, archived], kind: "deactivated", baseUrl: BASE });
      await queueNotices(tx, { userIds: [active], kind: "restored", baseUrl: `${BASE}/` });
    });
    const rows = await queryRows<{ user_id: string; kind: string; subject: string; body: string }>(
      t.db,
      sql`select user_id, kind, subject, body from outbox
          where user_id in (${inactive}, ${active}, ${archived}) order by id`,
    );
    expect(rows.map((r) => [r.user_id, r.kind])).toEqual([
      [inactive, "deactivated"],
      [active, "restored"],
    ]);
    expect(rows[0]?.body).toContain("Hi Nia,");
    expect(rows[0]?.subject).toBe("Your Roster account has been deactivated");
    expect(rows[1]?.body).toContain(`${BASE}/sign-in`);
    expect(rows[1]?.body).not.toContain("//sign-in");
  });

  it("an email and its change commit or roll back together", async () => {
    const id = await addUser("invited");
    await expect(
      t.db.transaction(async (tx) => {
        await createInvitations(tx, { userIds: [id], createdBy: adminId, baseUrl: BASE });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await tokensOf(id)).toHaveLength(0);
    const [row] = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from invitations where user_id = ${id}`,
    );
    expect(Number(row?.n)).toBe(0);
  });
});
