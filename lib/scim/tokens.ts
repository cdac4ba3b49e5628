import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { type Db, type Executor, queryRows } from "@/db/client";
import { isUuid } from "@/db/sql";
import { can, type Person } from "@/model/permissions";

/*
 * Bearer tokens for identity providers (SCIM, /scim/v2). Owners and admins make and revoke them on
 * /settings; a token is shown once, the database keeps only its sha256, and each use is recorded
 * at most once a minute.
 */

/** What a token starts with, so that a leaked one is recognisable (secret scanners, logs). */
const TOKEN_PREFIX = "roster_scim_";
/** 32 random bytes, base64url: 43 characters after the prefix. */
const TOKEN_PATTERN = /^roster_scim_[A-Za-z0-9_-]{43}$/;

const SCIM_TOKEN_NAME_MAX = 60;

export const SCIM_TOKEN_REFUSALS = {
  denied: "You don't have permission to manage SCIM tokens.",
  unknown: "That token doesn't exist or is already revoked. Reload the page.",
};

export const scimTokenNameSchema = z.strictObject({
  name: z
    .string({ error: "Enter a name for the token." })
    .trim()
    .min(1, "Enter a name for the token, e.g. Okta.")
    .max(SCIM_TOKEN_NAME_MAX, `Use a name of at most ${SCIM_TOKEN_NAME_MAX} characters.`)
    // The name becomes the actor of audit events ("SCIM: Okta"): one line of printable text.
    .refine((v) => !/[\p{Cc}\p{Cf}\u2028\u2029]/u.test(v), "Use letters, digits and spaces."),
});
export const scimTokenIdSchema = z.strictObject({
  id: z.string().refine(isUuid, "That token doesn't exist."),
});

export type ScimTokenRow = {
  id: string;
  name: string;
  createdAt: string;
  createdByName: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

function hashScimToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Tokens, newest first: the live ones, then the revoked. */
export async function listScimTokens(db: Executor): Promise<ScimTokenRow[]> {
  return queryRows<ScimTokenRow>(
    db,
    sql`select t.id, t.name, t.created_at as "createdAt", u.name as "createdByName",
          t.last_used_at as "lastUsedAt", t.revoked_at as "revokedAt"
        from scim_tokens t left join users u on u.id = t.created_by
        order by t.revoked_at is not null, t.created_at desc, t.id
        limit 200`,
  );
}

export type CreateScimTokenResult =
  | { ok: true; id: string; name: string; token: string }
  | { ok: false; error: string };

/** The actor's rights as the database has them now (not as their session remembers them). */
async function stillManages(tx: Executor, actor: Person): Promise<boolean> {
  const [me] = await queryRows<{ role: Person["role"]; status: string }>(
    tx,
    sql`select role, status from users where id = ${actor.id}::uuid for share`,
  );
  return me?.status === "active" && can(me.role, "settings.manage");
}

/** Makes a token and audits it, in one transaction; the token itself is in the answer only. */
export async function createScimToken(
  db: Db,
  args: { actor: Person; name: string; requestId: string; now?: Date },
): Promise<CreateScimTokenResult> {
  if (!can(args.actor.role, "settings.manage")) {
    return { ok: false, error: SCIM_TOKEN_REFUSALS.denied };
  }
  const at = (args.now ?? new Date()).toISOString();
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  return db.transaction(async (tx) => {
    if (!(await stillManages(tx, args.actor))) {
      return { ok: false, error: SCIM_TOKEN_REFUSALS.denied };
    }
    const [row] = await queryRows<{ id: string }>(
      tx,
      sql`insert into scim_tokens (name, token_hash, created_by, created_at)
          values (${args.name}, ${hashScimToken(token)}, ${args.actor.id}::uuid, ${at}::timestamptz)
          returning id`,
    );
    if (!row) throw new Error("createScimToken: no row");
    await tx.execute(sql`
      insert into audit_events (at, actor_id, action, request_id, records_moved)
      values (${at}::timestamptz, ${args.actor.id}::uuid, 'create-scim-token', ${args.requestId},
        ${JSON.stringify({ scimToken: { id: row.id, name: args.name } })}::jsonb)`);
    return { ok: true, id: row.id, name: args.name, token };
  });
}

export type RevokeScimTokenResult = { ok: true; name: string } | { ok: false; error: string };

/** Revokes a live token (it stops working at once) and audits it. */
export async function revokeScimToken(
  db: Db,
  args: { actor: Person; id: string; requestId: string; now?: Date },
): Promise<RevokeScimTokenResult> {
  if (!can(args.actor.role, "settings.manage")) {
    return { ok: false, error: SCIM_TOKEN_REFUSALS.denied };
  }
  const at = (args.now ?? new Date()).toISOString();
  return db.transaction(async (tx) => {
    if (!(await stillManages(tx, args.actor))) {
      return { ok: false, error: SCIM_TOKEN_REFUSALS.denied };
    }
    const [row] = await queryRows<{ id: string; name: string }>(
      tx,
      sql`update scim_tokens set revoked_at = ${at}::timestamptz
          where id = ${args.id}::uuid and revoked_at is null
          returning id, name`,
    );
    if (!row) return { ok: false, error: SCIM_TOKEN_REFUSALS.unknown };
    await tx.execute(sql`
      insert into audit_events (at, actor_id, action, request_id, records_moved)
      values (${at}::timestamptz, ${args.actor.id}::uuid, 'revoke-scim-token', ${args.requestId},
        ${JSON.stringify({ scimToken: { id: row.id, name: row.name } })}::jsonb)`);
    return { ok: true, name: row.name };
  });
}

/** The live token a request's Authorization header carries. */
export type ScimClient = { id: string; name: string };

/**
 * The token of an `Authorization: Bearer …` header, or null. The row is found by the token's
 * sha256 (an index lookup reveals nothing of a token: a guess's hash shares no prefix with it)
 * and the hashes are compared again in constant time. Its use is recorded at most once a minute.
 */
export async function authenticateScimToken(
  db: Executor,
  authorization: string | null,
  now: Date = new Date(),
): Promise<ScimClient | null> {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? "");
  const token = match?.[1];
  if (!token || !TOKEN_PATTERN.test(token)) return null;
  const hash = hashScimToken(token);
  const [row] = await queryRows<{ id: string; name: string; token_hash: string; stale: boolean }>(
    db,
    sql`select id, name, token_hash,
          (last_used_at is null or last_used_at < ${now.toISOString()}::timestamptz - interval '1 minute') as stale
        from scim_tokens where token_hash = ${hash} and revoked_at is null`,
  );
  if (!row) return null;
  const a = Buffer.from(row.token_hash, "hex");
  const b = Buffer.from(hash, "hex");
  if (a.length !== b.length || !timingSafeEqual(a, b)) return null;
  if (row.stale) {
    await db.execute(sql`update scim_tokens set last_used_at = ${now.toISOString()}::timestamptz
      where id = ${row.id}::uuid
        and (last_used_at is null or last_used_at < ${now.toISOString()}::timestamptz - interval '1 minute')`);
  }
  return { id: row.id, name: row.name };
}
