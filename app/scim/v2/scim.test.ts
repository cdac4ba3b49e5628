import { sql } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { type Db, queryRows } from "@/db/client";
import type { User } from "@/db/schema";
import { TEST_DRIVERS } from "@/db/testing";
import { useTestDatabase } from "@/db/testing-hooks";
import { verifyAuditChain } from "@/lib/audit/chain";
import { listAuditEvents } from "@/lib/audit/queries";
import { AUDIT_DEFAULTS } from "@/lib/audit/view";
import { SCIM_REQUESTS_PER_MINUTE, scimRateKey } from "@/lib/scim/rate-limit";
import { createScimToken, revokeScimToken, scimTokenNameSchema } from "@/lib/scim/tokens";
import { addOwnerAndAdmins, addRecords, addUser, asActor } from "@/lib/users/testing/fixtures";
import { changeSetting, type SettingChange } from "@/lib/workspace-settings";
import * as unknownRoute from "./[...rest]/route";
import * as groups from "./Groups/[[...rest]]/route";
import * as resourceTypes from "./ResourceTypes/route";
import * as schemas from "./Schemas/route";
import * as serviceProviderConfig from "./ServiceProviderConfig/route";
import * as userById from "./Users/[id]/route";
import * as usersRoute from "./Users/route";

const h = vi.hoisted(() => ({ db: null as Db | null }));
vi.mock("@/lib/db", () => ({
  getDb: async () => {
    if (!h.db) throw new Error("no database");
    return h.db;
  },
}));

const BASE = "http://localhost:3000/scim/v2";
const ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

type Handler = (request: Request, ctx: { params: Promise<never> }) => Promise<Response>;

/** Calls a route handler as Next would, and reads its SCIM answer. */
async function call(
  handler: unknown,
  args: {
    path: string;
    method?: string;
    token?: string | null;
    body?: unknown;
    raw?: string;
    params?: Record<string, string | string[]>;
  },
) {
  const headers = new Headers({ "content-type": "application/scim+json" });
  if (args.token) headers.set("authorization", `Bearer ${args.token}`);
  const body = args.raw ?? (args.body === undefined ? undefined : JSON.stringify(args.body));
  const request = new Request(`${BASE}${args.path}`, {
    method: args.method ?? "GET",
    headers,
    body,
  });
  const response = await (handler as Handler)(request, {
    params: Promise.resolve(args.params ?? {}) as Promise<never>,
  });
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    headers: response.headers,
    // biome-ignore lint/suspicious/noExplicitAny: a SCIM answer is read field by field below
    json: (text ? JSON.parse(text) : null) as any,
  };
}

function expectScimError(
  answer: Awaited<ReturnType<typeof call>>,
  status: number,
  scimType?: string,
) {
  expect(answer.status, JSON.stringify(answer.json)).toBe(status);
  expect(answer.type).toMatch(/^application\/scim\+json/);
  expect(answer.json.schemas).toEqual([ERROR_SCHEMA]);
  expect(answer.json.status).toBe(String(status));
  if (scimType) expect(answer.json.scimType).toBe(scimType);
  expect(typeof answer.json.detail).toBe("string");
  expect(JSON.stringify(answer.json)).not.toMatch(/\bat .*\.(ts|js):\d+/);
}

describe("token names", () => {
  it("take one line of text of at most 60 characters", () => {
    expect(scimTokenNameSchema.safeParse({ name: "  Okta  " })).toMatchObject({
      success: true,
      data: { name: "Okta" },
    });
    for (const name of ["", "   ", "x".repeat(61), "Okta\nSCIM: Policy", "a\u202eb", 5]) {
      expect(scimTokenNameSchema.safeParse({ name }).success, String(name)).toBe(false);
    }
    expect(scimTokenNameSchema.safeParse({ name: "Okta", extra: 1 }).success).toBe(false);
  });
});

describe.each(TEST_DRIVERS)("SCIM 2.0 on %s", (driver) => {
  const t = useTestDatabase(driver);
  let owner: User;
  let admin: User;
  let token: string;

  beforeAll(async () => {
    [owner, admin] = await addOwnerAndAdmins(t.db);
    const created = await createScimToken(t.db, {
      actor: asActor(admin),
      name: "Okta",
      requestId: "00000000-0000-4000-8000-000000000001",
    });
    if (!created.ok) throw new Error(created.error);
    token = created.token;
    await t.db.execute(
      sql`insert into workspace_meta (key, value) values ('seat_limit', '1000')
          on conflict (key) do update set value = excluded.value`,
    );
  });
  beforeEach(() => {
    h.db = t.db;
  });

  const setSeats = (n: number) =>
    t.db.execute(sql`update workspace_meta set value = ${String(n)} where key = 'seat_limit'`);
  const seatsInUse = async () =>
    Number(
      (
        await queryRows<{ n: number }>(
          t.db,
          sql`select count(*)::int as n from users where status in ('invited', 'active')`,
        )
      )[0]?.n,
    );
  const statusOf = async (id: string) =>
    (
      await queryRows<{ status: string }>(
        t.db,
        sql`select status from users where id = ${id}::uuid`,
      )
    )[0]?.status;
  const lastEvent = async (id: string) =>
    (
      await queryRows<{ action: string; actor_id: string | null; reason: string | null }>(
        t.db,
        sql`select e.action, e.actor_id, r.text as reason from audit_events e
            left join audit_reasons r on r.id = e.reason_id
            where e.target_id = ${id}::uuid order by e.id desc limit 1`,
      )
    )[0];

  describe("authentication", () => {
    it("refuses a request without a token, with a malformed one, and with an unknown one: 401", async () => {
      for (const bad of [null, "nope", `roster_scim_${"A".repeat(43)}`]) {
        const answer = await call(usersRoute.GET, { path: "/Users", token: bad });
        expectScimError(answer, 401);
        expect(answer.headers.get("www-authenticate")).toMatch(/^Bearer/);
      }
    });

    it("a revoked token stops working at once; its last use was recorded", async () => {
      const made = await createScimToken(t.db, {
        actor: asActor(admin),
        name: "Entra ID",
        requestId: "00000000-0000-4000-8000-000000000002",
      });
      if (!made.ok) throw new Error(made.error);
      expect((await call(usersRoute.GET, { path: "/Users", token: made.token })).status).toBe(200);
      const [used] = await queryRows<{ last_used_at: string | null }>(
        t.db,
        sql`select last_used_at from scim_tokens where id = ${made.id}::uuid`,
      );
      expect(used?.last_used_at).not.toBeNull();
      const [stored] = await queryRows<{ token_hash: string }>(
        t.db,
        sql`select token_hash from scim_tokens where id = ${made.id}::uuid`,
      );
      expect(stored?.token_hash).not.toContain(made.token.slice(12));
      const revoked = await revokeScimToken(t.db, {
        actor: asActor(admin),
        id: made.id,
        requestId: "00000000-0000-4000-8000-000000000003",
      });
      expect(revoked.ok).toBe(true);
      expectScimError(await call(usersRoute.GET, { path: "/Users", token: made.token }), 401);
      const events = await queryRows<{ action: string }>(
        t.db,
        sql`select action from audit_events where action like '%scim-token' order by id`,
      );
      expect(events.map((e) => e.action)).toEqual([
        "create-scim-token",
        "create-scim-token",
        "revoke-scim-token",
      ]);
      // The log names the token, and who acted.
      const log = await listAuditEvents(t.db, { ...AUDIT_DEFAULTS, action: "revoke-scim-token" });
      expect(log.rows[0]).toMatchObject({
        actor: { id: admin.id },
        target: null,
        subject: "SCIM token “Entra ID”",
        recordsMoved: null,
      });
    });

    it("only owners and admins make tokens", async () => {
      const manager = await addUser(t.db, { role: "manager" });
      const refused = await createScimToken(t.db, {
        actor: asActor(manager),
        name: "Mine",
        requestId: "00000000-0000-4000-8000-000000000004",
      });
      expect(refused.ok).toBe(false);
    });

    it("over the token's rate: 429 with Retry-After, nothing else done", async () => {
      const made = await createScimToken(t.db, {
        actor: asActor(admin),
        name: "Busy",
        requestId: "00000000-0000-4000-8000-000000000005",
      });
      if (!made.ok) throw new Error(made.error);
      await t.db.execute(sql`insert into auth_throttle (key, failures, last_failure_at, refused)
        values (${scimRateKey(made.id)}, ${SCIM_REQUESTS_PER_MINUTE}, now(), false)`);
      const answer = await call(usersRoute.POST, {
        path: "/Users",
        method: "POST",
        token: made.token,
        body: { userName: "too.many@example.test" },
      });
      expectScimError(answer, 429);
      expect(Number(answer.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(
        (
          await call(usersRoute.GET, {
            path: '/Users?filter=userName eq "too.many@example.test"',
            token,
          })
        ).json.totalResults,
      ).toBe(0);
    });
  });

  describe("discovery", () => {
    it("ServiceProviderConfig, ResourceTypes and Schemas answer as application/scim+json", async () => {
      const config = await call(serviceProviderConfig.GET, {
        path: "/ServiceProviderConfig",
        token,
      });
      expect(config.status).toBe(200);
      expect(config.type).toMatch(/^application\/scim\+json/);
      expect(config.json.patch.supported).toBe(true);
      expect(config.json.bulk.supported).toBe(false);
      expect(config.json.filter).toEqual({ supported: true, maxResults: 200 });
      expect(config.json.authenticationSchemes[0].type).toBe("oauthbearertoken");
      const types = await call(resourceTypes.GET, { path: "/ResourceTypes", token });
      expect(types.json.Resources.map((r: { id: string }) => r.id)).toEqual(["User"]);
      const schema = await call(schemas.GET, { path: "/Schemas", token });
      expect(schema.json.Resources[0].attributes.map((a: { name: string }) => a.name)).toEqual([
        "userName",
        "name",
        "displayName",
        "emails",
        "active",
        "externalId",
      ]);
    });

    it("Groups answer 501 and unknown endpoints 404, as SCIM errors", async () => {
      expectScimError(await call(groups.GET, { path: "/Groups", token }), 501);
      expectScimError(
        await call(groups.POST, { path: "/Groups", method: "POST", token, body: {} }),
        501,
      );
      expectScimError(await call(unknownRoute.GET, { path: "/Bulk", token }), 404);
      expectScimError(await call(groups.GET, { path: "/Groups" }), 401);
    });
  });

  describe("Okta", () => {
    let created: { id: string; userName: string };

    it("looks a user up by userName, creates them, finds them again", async () => {
      const filter = encodeURIComponent('userName eq "dana.okta@example.test"');
      const none = await call(usersRoute.GET, {
        path: `/Users?filter=${filter}&startIndex=1&count=100`,
        token,
      });
      expect(none.status).toBe(200);
      expect(none.json).toMatchObject({
        schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        totalResults: 0,
        startIndex: 1,
        itemsPerPage: 0,
        Resources: [],
      });
      const before = await seatsInUse();
      const post = await call(usersRoute.POST, {
        path: "/Users",
        method: "POST",
        token,
        body: {
          schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
          userName: "dana.okta@example.test",
          name: { givenName: "Dana", familyName: "Okta" },
          emails: [{ primary: true, value: "dana.okta@example.test", type: "work" }],
          displayName: "Dana Okta",
          locale: "en-US",
          externalId: "00u1okta",
          groups: [],
          password: "ignored-Password1",
          active: true,
        },
      });
      expect(post.status, JSON.stringify(post.json)).toBe(201);
      expect(post.headers.get("location")).toBe(`${BASE}/Users/${post.json.id}`);
      expect(post.json).toMatchObject({
        userName: "dana.okta@example.test",
        externalId: "00u1okta",
        active: true,
        name: { givenName: "Dana", familyName: "Okta", formatted: "Dana Okta" },
        emails: [{ value: "dana.okta@example.test", type: "work", primary: true }],
        meta: { resourceType: "User" },
      });
      created = post.json;
      const [row] = await queryRows<{ status: string; role: string; password_hash: string | null }>(
        t.db,
        sql`select status, role, password_hash from users where id = ${created.id}::uuid`,
      );
      expect(row).toEqual({ status: "invited", role: "member", password_hash: null });
      expect(await seatsInUse()).toBe(before + 1);
      expect(await lastEvent(created.id)).toEqual({
        action: "invite",
        actor_id: null,
        reason: "SCIM: Okta",
      });
      const mail = await queryRows<{ kind: string }>(
        t.db,
        sql`select kind from outbox where user_id = ${created.id}::uuid`,
      );
      expect(mail.map((m) => m.kind)).toEqual(["invitation"]);

      const found = await call(usersRoute.GET, {
        path: `/Users?filter=${encodeURIComponent('userName eq "DANA.OKTA@example.test"')}&startIndex=1&count=100`,
        token,
      });
      expect(found.json.totalResults).toBe(1);
      expect(found.json.Resources[0].id).toBe(created.id);
    });

    it("a second POST of the same userName or externalId is 409 uniqueness", async () => {
      expectScimError(
        await call(usersRoute.POST, {
          path: "/Users",
          method: "POST",
          token,
          body: { userName: "Dana.Okta@example.test", name: { givenName: "D" } },
        }),
        409,
        "uniqueness",
      );
      expectScimError(
        await call(usersRoute.POST, {
          path: "/Users",
          method: "POST",
          token,
          body: { userName: "someone.else@example.test", externalId: "00u1okta" },
        }),
        409,
        "uniqueness",
      );
    });

    it("deactivates with Okta's PATCH verbatim, through the pipeline, ending sessions", async () => {
      const user = await addUser(t.db, { status: "active" });
      const [{ v: versionBefore } = { v: 0 }] = await queryRows<{ v: number }>(
        t.db,
        sql`select session_version as v from users where id = ${user.id}::uuid`,
      );
      const answer = await call(userById.PATCH, {
        path: `/Users/${user.id}`,
        method: "PATCH",
        token,
        params: { id: user.id },
        raw: '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}',
      });
      expect(answer.status, JSON.stringify(answer.json)).toBe(200);
      expect(answer.json.active).toBe(false);
      expect(await statusOf(user.id)).toBe("inactive");
      expect(await lastEvent(user.id)).toEqual({
        action: "deactivate",
        actor_id: null,
        reason: "SCIM: Okta",
      });
      const [{ v: versionAfter } = { v: 0 }] = await queryRows<{ v: number }>(
        t.db,
        sql`select session_version as v from users where id = ${user.id}::uuid`,
      );
      expect(versionAfter).toBeGreaterThan(versionBefore);

      // And back, which needs a seat.
      const back = await call(userById.PATCH, {
        path: `/Users/${user.id}`,
        method: "PATCH",
        token,
        params: { id: user.id },
        body: { schemas: [PATCH_OP], Operations: [{ op: "replace", value: { active: true } }] },
      });
      expect(back.json.active).toBe(true);
      expect(await statusOf(user.id)).toBe("active");
      expect((await lastEvent(user.id))?.action).toBe("reactivate");
    });

    it("reactivating without a free seat is 403 and changes nothing", async () => {
      const user = await addUser(t.db, { status: "inactive" });
      await setSeats(await seatsInUse());
      try {
        const answer = await call(userById.PATCH, {
          path: `/Users/${user.id}`,
          method: "PATCH",
          token,
          params: { id: user.id },
          body: { schemas: [PATCH_OP], Operations: [{ op: "replace", value: { active: true } }] },
        });
        expectScimError(answer, 403);
        expect(answer.json.detail).toMatch(/no free seat/);
        expect(await statusOf(user.id)).toBe("inactive");
        // A POST needs a seat too.
        expectScimError(
          await call(usersRoute.POST, {
            path: "/Users",
            method: "POST",
            token,
            body: { userName: "no.seat@example.test" },
          }),
          403,
        );
      } finally {
        await setSeats(1000);
      }
    });

    it("replaces the whole user with PUT", async () => {
      const user = await addUser(t.db, { status: "active", name: "Old Name" });
      const answer = await call(userById.PUT, {
        path: `/Users/${user.id}`,
        method: "PUT",
        token,
        params: { id: user.id },
        body: {
          schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
          id: user.id,
          userName: user.email,
          name: { givenName: "New", familyName: "Person Name" },
          emails: [{ primary: true, value: user.email, type: "work" }],
          externalId: "00u-put",
          active: false,
          groups: [],
        },
      });
      expect(answer.status, JSON.stringify(answer.json)).toBe(200);
      expect(answer.json).toMatchObject({
        displayName: "New Person Name",
        externalId: "00u-put",
        active: false,
      });
      expect(await statusOf(user.id)).toBe("inactive");
      const actions = await queryRows<{ action: string }>(
        t.db,
        sql`select action from audit_events where target_id = ${user.id}::uuid order by id`,
      );
      expect(actions.map((a) => a.action)).toEqual(["update-profile", "deactivate"]);
    });

    it("pages with startIndex and count, and caps count", async () => {
      const all = await call(usersRoute.GET, { path: "/Users?count=1000", token });
      expect(all.json.itemsPerPage).toBeLessThanOrEqual(200);
      const total = all.json.totalResults;
      const [{ n } = { n: 0 }] = await queryRows<{ n: number }>(
        t.db,
        sql`select count(*)::int as n from users where status in ('pending', 'invited', 'active', 'inactive')`,
      );
      expect(total).toBe(n);
      const first = await call(usersRoute.GET, { path: "/Users?startIndex=1&count=2", token });
      const second = await call(usersRoute.GET, { path: "/Users?startIndex=3&count=2", token });
      expect(first.json.Resources).toHaveLength(2);
      expect(second.json.startIndex).toBe(3);
      const ids = [...first.json.Resources, ...second.json.Resources].map(
        (r: { id: string }) => r.id,
      );
      expect(new Set(ids).size).toBe(ids.length);
      const zero = await call(usersRoute.GET, { path: "/Users?count=0", token });
      expect(zero.json).toMatchObject({ totalResults: total, itemsPerPage: 0, Resources: [] });
      expectScimError(
        await call(usersRoute.GET, { path: "/Users?count=many", token }),
        400,
        "invalidValue",
      );
    });

    it("attributes and excludedAttributes shape what is returned", async () => {
      const only = await call(userById.GET, {
        path: `/Users/${created.id}?attributes=userName,name.givenName`,
        token,
        params: { id: created.id },
      });
      expect(only.json).toEqual({
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
        id: created.id,
        userName: "dana.okta@example.test",
        name: { givenName: "Dana" },
      });
      const without = await call(userById.GET, {
        path: `/Users/${created.id}?excludedAttributes=emails,meta`,
        token,
        params: { id: created.id },
      });
      expect(without.json.emails).toBeUndefined();
      expect(without.json.meta).toBeUndefined();
      expect(without.json.userName).toBe("dana.okta@example.test");
    });
  });

  describe("Microsoft Entra ID", () => {
    it("finds nobody by an unknown externalId, and answers 404 for a user that doesn't exist", async () => {
      const filter = encodeURIComponent('externalId eq "7f3a1c2e-entra"');
      const none = await call(usersRoute.GET, { path: `/Users?filter=${filter}`, token });
      expect(none.json.totalResults).toBe(0);
      for (const id of ["6b4f1c5e-0a6a-4d0e-9a51-5d1f0b2c9f11", "not-a-uuid"]) {
        expectScimError(
          await call(userById.GET, { path: `/Users/${id}`, token, params: { id } }),
          404,
        );
        expectScimError(
          await call(userById.PATCH, {
            path: `/Users/${id}`,
            method: "PATCH",
            token,
            params: { id },
            body: {
              schemas: [PATCH_OP],
              Operations: [{ op: "Replace", path: "active", value: "False" }],
            },
          }),
          404,
        );
      }
    });

    it("creates by externalId, then finds it with externalId and emails.value joined by and", async () => {
      const post = await call(usersRoute.POST, {
        path: "/Users",
        method: "POST",
        token,
        body: {
          schemas: [
            "urn:ietf:params:scim:schemas:core:2.0:User",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
          ],
          externalId: "entra-0001",
          userName: "erin.entra@example.test",
          active: true,
          displayName: "Erin Entra",
          emails: [{ primary: true, type: "work", value: "erin.entra@example.test" }],
          meta: { resourceType: "User" },
          name: { formatted: "Erin Entra", familyName: "Entra", givenName: "Erin" },
          roles: [{ primary: "False", type: "WindowsAzureActiveDirectoryRole", value: "admin" }],
          "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { department: "Ops" },
        },
      });
      expect(post.status, JSON.stringify(post.json)).toBe(201);
      const [row] = await queryRows<{ role: string }>(
        t.db,
        sql`select role from users where id = ${post.json.id}::uuid`,
      );
      expect(row?.role).toBe("member");
      const filter = encodeURIComponent(
        'externalId eq "entra-0001" and emails.value eq "ERIN.ENTRA@example.test"',
      );
      const found = await call(usersRoute.GET, { path: `/Users?filter=${filter}`, token });
      expect(found.json.totalResults).toBe(1);
      // externalId is case-exact.
      const other = encodeURIComponent('externalId eq "ENTRA-0001"');
      expect(
        (await call(usersRoute.GET, { path: `/Users?filter=${other}`, token })).json.totalResults,
      ).toBe(0);
    });

    it("deactivates with a capitalised op and a string boolean", async () => {
      const user = await addUser(t.db, { status: "active" });
      const answer = await call(userById.PATCH, {
        path: `/Users/${user.id}`,
        method: "PATCH",
        token,
        params: { id: user.id },
        body: {
          schemas: [PATCH_OP],
          Operations: [{ op: "Replace", path: "active", value: "False" }],
        },
      });
      expect(answer.status, JSON.stringify(answer.json)).toBe(200);
      expect(answer.json.active).toBe(false);
      expect(await statusOf(user.id)).toBe("inactive");
      expect(await lastEvent(user.id)).toMatchObject({
        action: "deactivate",
        reason: "SCIM: Okta",
      });
    });

    it('changes name.givenName and emails[type eq "work"].value', async () => {
      const user = await addUser(t.db, { status: "active", name: "Fran Entra-Smith" });
      const answer = await call(userById.PATCH, {
        path: `/Users/${user.id}`,
        method: "PATCH",
        token,
        params: { id: user.id },
        body: {
          schemas: [PATCH_OP],
          Operations: [
            { op: "Replace", path: "name.givenName", value: "Frances" },
            { op: "Replace", path: 'emails[type eq "work"].value', value: "frances@example.test" },
            { op: "Add", path: "externalId", value: "entra-fran" },
            {
              op: "Add",
              path: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
              value: "Sales",
            },
          ],
        },
      });
      expect(answer.status, JSON.stringify(answer.json)).toBe(200);
      expect(answer.json).toMatchObject({
        userName: "frances@example.test",
        displayName: "Frances Entra-Smith",
        externalId: "entra-fran",
        active: true,
      });
      const [row] = await queryRows<{ name: string; email: string; external_id: string }>(
        t.db,
        sql`select name, email, external_id from users where id = ${user.id}::uuid`,
      );
      expect(row).toEqual({
        name: "Frances Entra-Smith",
        email: "frances@example.test",
        external_id: "entra-fran",
      });
      expect(await lastEvent(user.id)).toMatchObject({
        action: "update-profile",
        actor_id: null,
        reason: "SCIM: Okta",
      });
    });

    it("moving an email onto another user's is 409 uniqueness, and nothing changes", async () => {
      const [a, b] = [await addUser(t.db), await addUser(t.db)];
      if (!a || !b) throw new Error("no users");
      const answer = await call(userById.PATCH, {
        path: `/Users/${a.id}`,
        method: "PATCH",
        token,
        params: { id: a.id },
        body: {
          schemas: [PATCH_OP],
          Operations: [
            { op: "Replace", path: "active", value: "False" },
            { op: "Replace", path: 'emails[type eq "work"].value', value: b.email.toUpperCase() },
          ],
        },
      });
      expectScimError(answer, 409, "uniqueness");
      expect(await statusOf(a.id)).toBe("active");
    });
  });

  describe("DELETE", () => {
    it("archives the user, who then answers 404", async () => {
      const user = await addUser(t.db, { status: "active" });
      const answer = await call(userById.DELETE, {
        path: `/Users/${user.id}`,
        method: "DELETE",
        token,
        params: { id: user.id },
      });
      expect(answer.status).toBe(204);
      expect(await statusOf(user.id)).toBe("archived");
      expect(await lastEvent(user.id)).toMatchObject({ action: "archive", reason: "SCIM: Okta" });
      expectScimError(
        await call(userById.GET, { path: `/Users/${user.id}`, token, params: { id: user.id } }),
        404,
      );
      expectScimError(
        await call(userById.DELETE, {
          path: `/Users/${user.id}`,
          method: "DELETE",
          token,
          params: { id: user.id },
        }),
        404,
      );
      const filter = encodeURIComponent(`userName eq "${user.email}"`);
      expect(
        (await call(usersRoute.GET, { path: `/Users?filter=${filter}`, token })).json.totalResults,
      ).toBe(0);
      // Creating the same address again: 409, saying where the user is.
      const again = await call(usersRoute.POST, {
        path: "/Users",
        method: "POST",
        token,
        body: { userName: user.email },
      });
      expectScimError(again, 409, "uniqueness");
      expect(again.json.detail).toMatch(/archived/);
    });

    it("refuses a user who owns records: no default owner to take them (409)", async () => {
      const user = await addUser(t.db, { status: "active" });
      await addRecords(t.db, user.id, { project: 2 });
      const answer = await call(userById.DELETE, {
        path: `/Users/${user.id}`,
        method: "DELETE",
        token,
        params: { id: user.id },
      });
      expectScimError(answer, 409);
      expect(answer.json.detail).toMatch(/owns records/);
      expect(await statusOf(user.id)).toBe("active");
    });

    describe("with the provisioning settings", () => {
      const save = async (change: SettingChange) => {
        const saved = await changeSetting(t.db, {
          actor: asActor(admin),
          change,
          requestId: "00000000-0000-4000-8000-000000000002",
        });
        if (!saved.ok) throw new Error(saved.error);
      };
      const projectsOf = async (ownerId: string) =>
        Number(
          (
            await queryRows<{ n: number }>(
              t.db,
              sql`select count(*)::int as n from projects where owner_id = ${ownerId}::uuid`,
            )
          )[0]?.n,
        );
      const remove = (id: string) =>
        call(userById.DELETE, { path: `/Users/${id}`, method: "DELETE", token, params: { id } });

      it("gives a removed user's records to the default owner while they are active", async () => {
        const taker = await addUser(t.db, { status: "active", role: "admin" });
        await save({ setting: "defaultOwner", value: taker.email });
        try {
          const user = await addUser(t.db, { status: "active" });
          await addRecords(t.db, user.id, { project: 3 });
          const removed = await remove(user.id);
          expect(removed.status, JSON.stringify(removed.json)).toBe(204);
          expect(await statusOf(user.id)).toBe("archived");
          expect(await projectsOf(user.id)).toBe(0);
          expect(await projectsOf(taker.id)).toBe(3);

          // A default owner who has left active use takes nothing: refused, nothing changes.
          await t.db.execute(
            sql`update users set status = 'inactive' where id = ${taker.id}::uuid`,
          );
          const other = await addUser(t.db, { status: "active" });
          await addRecords(t.db, other.id, { project: 1 });
          const refused = await remove(other.id);
          expectScimError(refused, 409);
          expect(refused.json.detail).toMatch(/no active default owner/);
          expect(await statusOf(other.id)).toBe("active");
          expect(await projectsOf(other.id)).toBe(1);
        } finally {
          await save({ setting: "defaultOwner", value: "" });
        }
      });

      it("deletes permanently when the settings say so: the row is gone, records moved", async () => {
        const taker = await addUser(t.db, { status: "active", role: "admin" });
        await save({ setting: "defaultOwner", value: taker.email });
        await save({ setting: "scimDelete", value: "delete" });
        try {
          const user = await addUser(t.db, { status: "active" });
          await addRecords(t.db, user.id, { project: 2 });
          const removed = await remove(user.id);
          expect(removed.status, JSON.stringify(removed.json)).toBe(204);
          expect(await statusOf(user.id)).toBeUndefined();
          expect(await projectsOf(taker.id)).toBe(2);
          expectScimError(
            await call(userById.GET, { path: `/Users/${user.id}`, token, params: { id: user.id } }),
            404,
          );
          // The erasure redacted every reason about them (the system's name on its own events
          // too), each redaction chained: the log still verifies.
          const [deleted] = await queryRows<{ actor_id: string | null }>(
            t.db,
            sql`select actor_id from audit_events
                where target_id = ${user.id}::uuid and action = 'delete'`,
          );
          expect(deleted).toEqual({ actor_id: null });
          expect(await lastEvent(user.id)).toMatchObject({ action: "redact-reason", reason: null });
          expect((await verifyAuditChain(t.db)).breaks).toEqual([]);
          // The owner is never deleted, whatever the setting.
          expectScimError(await remove(owner.id), 403);
          expect(await statusOf(owner.id)).toBe("active");
        } finally {
          await save({ setting: "scimDelete", value: "archive" });
          await save({ setting: "defaultOwner", value: "" });
        }
      });

      it("creates people in the default role, never above it", async () => {
        await save({ setting: "defaultRole", value: "support" });
        try {
          const answer = await call(usersRoute.POST, {
            path: "/Users",
            method: "POST",
            token,
            body: { userName: "new.support@example.com", roles: [{ value: "admin" }] },
          });
          expect(answer.status, JSON.stringify(answer.json)).toBe(201);
          const [row] = await queryRows<{ role: string }>(
            t.db,
            sql`select role from users where id = ${answer.json.id}::uuid`,
          );
          expect(row?.role).toBe("support");
        } finally {
          await save({ setting: "defaultRole", value: "member" });
        }
      });
    });

    it("never touches the workspace owner (403)", async () => {
      for (const [handler, method, body] of [
        [userById.DELETE, "DELETE", undefined],
        [
          userById.PATCH,
          "PATCH",
          { schemas: [PATCH_OP], Operations: [{ op: "replace", value: { active: false } }] },
        ],
        [userById.PUT, "PUT", { userName: owner.email, active: false }],
      ] as const) {
        expectScimError(
          await call(handler, {
            path: `/Users/${owner.id}`,
            method,
            token,
            params: { id: owner.id },
            body,
          }),
          403,
        );
      }
      expect(await statusOf(owner.id)).toBe("active");
    });
  });

  describe("bad requests", () => {
    it("a filter Roster doesn't support is 400 invalidFilter, never everyone", async () => {
      for (const filter of [
        'userName co "a"',
        'userName sw "a"',
        'userName eq "a" or externalId eq "b"',
        'name.givenName eq "Dana"',
        "userName pr",
        "userName eq",
        'not (userName eq "a")',
        'emails[type eq "work"].value eq "a@b.c"',
        "userName eq true",
        "garbage ((",
        `userName eq "${"x".repeat(1200)}"`,
      ]) {
        expectScimError(
          await call(usersRoute.GET, {
            path: `/Users?filter=${encodeURIComponent(filter)}`,
            token,
          }),
          400,
          "invalidFilter",
        );
      }
    });

    it("a body that isn't JSON is invalidSyntax; a missing or bad userName invalidValue; too large 413", async () => {
      expectScimError(
        await call(usersRoute.POST, { path: "/Users", method: "POST", token, raw: "{not json" }),
        400,
        "invalidSyntax",
      );
      for (const body of [
        {},
        { userName: "" },
        { userName: "not an email" },
        { userName: 42 },
        [],
      ]) {
        const answer = await call(usersRoute.POST, { path: "/Users", method: "POST", token, body });
        expect(answer.status, JSON.stringify(body)).toBe(400);
      }
      expectScimError(
        await call(usersRoute.POST, {
          path: "/Users",
          method: "POST",
          token,
          body: { userName: "x@example.test", active: "maybe" },
        }),
        400,
        "invalidValue",
      );
      expectScimError(
        await call(usersRoute.POST, {
          path: "/Users",
          method: "POST",
          token,
          raw: JSON.stringify({ userName: "big@example.test", padding: "x".repeat(1024 * 1024) }),
        }),
        413,
      );
    });

    it("a PATCH that isn't a PatchOp, or names a bad op, is 400", async () => {
      const user = await addUser(t.db, { status: "active" });
      const patch = (body: unknown) =>
        call(userById.PATCH, {
          path: `/Users/${user.id}`,
          method: "PATCH",
          token,
          params: { id: user.id },
          body,
        });
      expectScimError(
        await patch({ Operations: [{ op: "replace", value: { active: false } }] }),
        400,
        "invalidSyntax",
      );
      expectScimError(await patch({ schemas: [PATCH_OP], Operations: [] }), 400, "invalidSyntax");
      expectScimError(
        await patch({
          schemas: [PATCH_OP],
          Operations: [{ op: "move", path: "active", value: false }],
        }),
        400,
        "invalidSyntax",
      );
      expectScimError(
        await patch({ schemas: [PATCH_OP], Operations: [{ op: "remove" }] }),
        400,
        "invalidSyntax",
      );
      expectScimError(
        await patch({
          schemas: [PATCH_OP],
          Operations: [{ op: "replace", path: "active", value: "perhaps" }],
        }),
        400,
        "invalidValue",
      );
      expect(await statusOf(user.id)).toBe("active");
    });

    it("a failure of Roster's own is a SCIM 503 with no stack, never a 500", async () => {
      h.db = null;
      const answer = await call(usersRoute.GET, { path: "/Users", token });
      expectScimError(answer, 503);
      expect(answer.headers.get("retry-after")).toBe("5");
      expect(answer.json.detail).not.toMatch(/no database/);
    });

    it("a method a resource doesn't take is a SCIM 405", async () => {
      expectScimError(
        await call(usersRoute.DELETE, { path: "/Users", method: "DELETE", token }),
        405,
      );
    });
  });
});
