import { randomUUID } from "node:crypto";
import { type SQL, sql } from "drizzle-orm";
import { type Db, type Executor, queryRows } from "@/db/client";
import { isUuid } from "@/db/sql";
import { createInvitations } from "@/lib/users/invitations";
import { LIFECYCLE, type Verb } from "@/lib/users/lifecycle";
import { statusCounts } from "@/lib/users/queries";
import { freeSeats } from "@/lib/users/seats";
import { applySource } from "@/lib/users/transitions";
import { defaultOwner, seatLimit, workspaceSettings } from "@/lib/workspace-settings";
import type { SystemPerson } from "@/model/permissions";
import { scimStatusesCondition } from "@/model/statuses";
import { userFilterWhere } from "./filter";
import { scimProblem } from "./protocol";
import {
  isScimActive,
  SCIM_STATUSES,
  type ScimUser,
  toScimUser,
  type UserChange,
  type UserRow,
} from "./resource";
import type { ScimClient } from "./tokens";

/*
 * The SCIM Users resource on Roster's users. Reads list the statuses SCIM sees (SCIM_STATUSES);
 * every status change is a lifecycle verb run by the pipeline (lib/users/transitions.ts) as the
 * system actor "SCIM: <token name>", with the same rules, seats, audit and session ending as the
 * console; profile changes (name, email, externalId) are audited as `update-profile`.
 */

/** The most users one page of a list answers (ServiceProviderConfig says so). */
export const MAX_PAGE = 200;

const COLUMNS = sql`"users"."id", "users"."name", "users"."email", "users"."status", "users"."role",
  "users"."external_id", "users"."created_at", "users"."status_changed_at"`;
const VISIBLE = sql.raw(scimStatusesCondition('"users"."status"'));

/** What every SCIM request carries into the domain. */
export type ScimContext = {
  client: ScimClient;
  /** The SCIM base URL (…/scim/v2), for `meta.location`. */
  baseUrl: string;
  /** The app's public origin, for invitation links. */
  publicUrl: string;
  requestId: string;
  now: Date;
};

function actorOf(client: ScimClient): SystemPerson {
  return { system: `SCIM: ${client.name}` };
}

export type ListQuery = { filter: string | null; startIndex: number; count: number };

export type ListAnswer = { total: number; startIndex: number; users: ScimUser[] };

/**
 * One page of users in id order. Without a filter the total comes from the per-status counts kept
 * with every change (never a count(*) of the table); a filter names at most a few users by index.
 * `startIndex` is an offset (RFC 7644 §3.4.2.4): the page's ids are counted off the partial index
 * of SCIM's statuses (`users_scim_id_idx`, index only, no table row read for the users skipped),
 * and only the page's own rows are read.
 */
export async function listScimUsers(
  db: Executor,
  query: ListQuery,
  baseUrl: string,
): Promise<ListAnswer> {
  const where: SQL = query.filter ? sql`${VISIBLE} and ${userFilterWhere(query.filter)}` : VISIBLE;
  const offset = query.startIndex - 1;
  const [rows, total] = await Promise.all([
    query.count === 0
      ? Promise.resolve([] as UserRow[])
      : queryRows<UserRow>(
          db,
          sql`select ${COLUMNS} from users
              where "users"."id" in (
                select "users"."id" from users where ${where} order by "users"."id"
                limit ${query.count} offset ${offset})
              order by "users"."id"`,
        ),
    query.filter
      ? queryRows<{ n: number }>(db, sql`select count(*)::int as n from users where ${where}`).then(
          (r) => Number(r[0]?.n ?? 0),
        )
      : statusCounts(db).then((c) => SCIM_STATUSES.reduce((sum, s) => sum + c[s], 0)),
  ]);
  return {
    total,
    startIndex: query.startIndex,
    users: rows.map((r) => toScimUser(r, baseUrl)),
  };
}

async function findRow(db: Executor, id: string, lock = false): Promise<UserRow | null> {
  if (!isUuid(id)) return null;
  const [row] = await queryRows<UserRow>(
    db,
    sql`select ${COLUMNS} from users where "users"."id" = ${id}::uuid and ${VISIBLE}
        ${lock ? sql`for update` : sql``}`,
  );
  return row ?? null;
}

const NOT_FOUND = (id: string) => scimProblem.notFound(`User ${id.slice(0, 64)} not found.`);

export async function getScimUser(db: Executor, id: string, baseUrl: string): Promise<ScimUser> {
  const row = await findRow(db, id);
  if (!row) throw NOT_FOUND(id);
  return toScimUser(row, baseUrl);
}

/** Who else already has this email or externalId, in words for a 409. */
async function uniquenessProblem(
  tx: Executor,
  args: { exceptId: string | null; email?: string; externalId?: string | null },
): Promise<void> {
  const checks: SQL[] = [];
  if (args.email !== undefined) checks.push(sql`lower(email) = lower(${args.email})`);
  if (args.externalId) checks.push(sql`external_id = ${args.externalId}`);
  if (!checks.length) return;
  const [other] = await queryRows<{ status: string; same_email: boolean }>(
    tx,
    sql`select status, ${args.email !== undefined ? sql`lower(email) = lower(${args.email})` : sql`false`} as same_email
        from users where (${sql.join(checks, sql` or `)})
          ${args.exceptId ? sql`and id <> ${args.exceptId}::uuid` : sql``}
        limit 1`,
  );
  if (!other) return;
  const what = other.same_email ? "userName (email)" : "externalId";
  const where = (SCIM_STATUSES as readonly string[]).includes(other.status)
    ? ""
    : ` Roster has that user as ${other.status}: restore or approve them there, or use another address.`;
  throw scimProblem.uniqueness(`Another user already has this ${what}.${where}`);
}

function uniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | null;
  return e?.code === "23505" || e?.cause?.code === "23505";
}

/** Runs a write; a unique index's refusal (a race with another request) becomes a 409. */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (uniqueViolation(error)) {
      throw scimProblem.uniqueness("Another user already has this userName (email) or externalId.");
    }
    throw error;
  }
}

/**
 * POST /Users: a new user in the workspace's default role for them (a member unless the settings
 * say otherwise; SCIM never grants more), `invited` with an invitation email so
 * that they set a password (Roster signs people in itself), or `inactive` when the directory
 * creates them with active: false. An invited user holds a seat.
 */
export async function createScimUser(
  db: Db,
  change: UserChange & { email: string },
  ctx: ScimContext,
): Promise<ScimUser> {
  const status = change.active === false ? "inactive" : "invited";
  const id = randomUUID();
  const at = ctx.now.toISOString();
  const name = change.name ?? change.email.split("@")[0] ?? change.email;
  return guarded(() =>
    db.transaction(async (tx) => {
      if (status === "invited" && (await freeSeats(tx, await seatLimit(tx))) < 1) {
        throw scimProblem.forbidden(
          "The workspace has no free seat: free one in Roster, or ask its owner to raise the seat limit.",
        );
      }
      await uniquenessProblem(tx, { exceptId: null, ...change });
      const { defaultRole } = await workspaceSettings(tx);
      await tx.execute(sql`
        insert into users (id, name, email, role, status, external_id, status_changed_at, created_at)
        values (${id}::uuid, ${name}, ${change.email}, ${defaultRole}::user_role, ${status}::user_status,
          ${change.externalId ?? null}, ${at}::timestamptz, ${at}::timestamptz)`);
      await tx.execute(sql`
        insert into audit_events (at, actor_id, action, target_id, to_status, reason, request_id)
        values (${at}::timestamptz, null, 'invite', ${id}::uuid, ${status}::user_status,
          ${actorOf(ctx.client).system}, ${ctx.requestId})`);
      if (status === "invited") {
        await createInvitations(tx, {
          userIds: [id],
          createdBy: null,
          baseUrl: ctx.publicUrl,
          now: ctx.now,
        });
      }
      const row = await findRow(tx, id);
      if (!row) throw new Error("createScimUser: the new user is gone");
      return toScimUser(row, ctx.baseUrl);
    }),
  );
}

/** The verb that brings a user to `active` (SCIM true) or `false`, if any is needed. */
function verbFor(row: UserRow, active: boolean | undefined): Verb | null {
  if (active === undefined || active === isScimActive(row.status)) return null;
  if (!active) return "deactivate";
  return row.status === "pending" ? "approve" : "reactivate";
}

function needsSeat(action: Verb | null): boolean {
  return action === "reactivate" || action === "approve";
}

const OWNS_RECORDS =
  "This user owns records (projects or automations) and the workspace has no active default owner to give them to: an owner or admin chooses one in Roster (Settings → Provisioning), or transfers the records in Roster; then try again.";

/** Runs one verb on one user through the pipeline, or throws the SCIM problem that refuses it. */
async function runVerb(tx: Executor, row: UserRow, action: Verb, ctx: ScimContext): Promise<void> {
  const limit = await seatLimit(tx);
  if (needsSeat(action) && (await freeSeats(tx, limit)) < 1) {
    throw scimProblem.forbidden(
      "The workspace has no free seat: free one in Roster, or ask its owner to raise the seat limit.",
    );
  }
  // Records the user owns go to the workspace's default owner (if one is set and active).
  const owner = LIFECYCLE[action].needsTransfer ? await defaultOwner(tx) : null;
  const result = await applySource(
    tx,
    { where: sql`"users"."id" = ${row.id}::uuid`, expected: null, missing: null },
    {
      actor: actorOf(ctx.client),
      action,
      input: {
        options: action === "delete" ? { confirm: "DELETE" } : {},
        onConflict: "abort",
        ...(owner ? { newOwnerId: owner.id } : {}),
      },
      seatLimit: limit,
      now: ctx.now,
      requestId: ctx.requestId,
      baseUrl: ctx.publicUrl,
      jobId: null,
    },
  );
  if (!result.ok) {
    throw /owns? records/.test(result.error)
      ? scimProblem.conflict(OWNS_RECORDS)
      : scimProblem.conflict(result.error);
  }
  const skipped = result.skipped[0];
  if (skipped) {
    throw skipped.code === "owner"
      ? scimProblem.forbidden("SCIM never changes the workspace owner.")
      : scimProblem.conflict(skipped.reason);
  }
}

/**
 * PUT and PATCH: the profile change (audited as `update-profile`, field names only) and the
 * status change (a verb through the pipeline), in one transaction: either both or neither.
 */
export async function changeScimUser(
  db: Db,
  id: string,
  change: UserChange | ((before: ScimUser) => UserChange),
  ctx: ScimContext,
): Promise<ScimUser> {
  if (!isUuid(id)) throw NOT_FOUND(id);
  return guarded(() =>
    db.transaction(async (tx) => {
      const wantedOf = (row: UserRow) =>
        typeof change === "function" ? change(toScimUser(row, ctx.baseUrl)) : change;
      // The user row first, then (in runVerb, only for a change that needs a seat) the seat
      // lock: the order every seat user keeps (lib/users/seats.ts).
      const row = await findRow(tx, id, true);
      if (!row) throw NOT_FOUND(id);
      if (row.role === "owner") {
        throw scimProblem.forbidden("SCIM never changes the workspace owner.");
      }
      const wanted = wantedOf(row);
      const fields: string[] = [];
      const sets: SQL[] = [];
      if (wanted.email !== undefined && wanted.email !== row.email) {
        fields.push("email");
        sets.push(sql`email = ${wanted.email}`);
      }
      if (wanted.name !== undefined && wanted.name !== row.name) {
        fields.push("name");
        sets.push(sql`name = ${wanted.name}`);
      }
      if (wanted.externalId !== undefined && wanted.externalId !== row.external_id) {
        fields.push("externalId");
        sets.push(sql`external_id = ${wanted.externalId}`);
      }
      if (sets.length) {
        await uniquenessProblem(tx, {
          exceptId: row.id,
          ...(fields.includes("email") ? { email: wanted.email } : {}),
          ...(fields.includes("externalId") ? { externalId: wanted.externalId } : {}),
        });
        const at = ctx.now.toISOString();
        await tx.execute(
          sql`update users set ${sql.join(sets, sql`, `)} where id = ${row.id}::uuid`,
        );
        await tx.execute(sql`
          insert into audit_events (at, actor_id, action, target_id, records_moved, reason, request_id)
          values (${at}::timestamptz, null, 'update-profile', ${row.id}::uuid,
            ${JSON.stringify({ fields })}::jsonb, ${actorOf(ctx.client).system}, ${ctx.requestId})`);
      }
      const action = verbFor(row, wanted.active);
      if (action) await runVerb(tx, row, action, ctx);
      const after = await findRow(tx, row.id);
      if (!after) throw new Error("changeScimUser: the user is gone");
      return toScimUser(after, ctx.baseUrl);
    }),
  );
}

/**
 * DELETE: archives the user through the pipeline, or deletes them permanently where the settings
 * say so; either way they then answer 404. Records they own go to the default owner; without an
 * active one, a user who owns records is refused (409).
 */
export async function deleteScimUser(db: Db, id: string, ctx: ScimContext): Promise<void> {
  if (!isUuid(id)) throw NOT_FOUND(id);
  await db.transaction(async (tx) => {
    const row = await findRow(tx, id, true);
    if (!row) throw NOT_FOUND(id);
    if (row.role === "owner")
      throw scimProblem.forbidden("SCIM never changes the workspace owner.");
    const { scimDelete } = await workspaceSettings(tx);
    await runVerb(tx, row, scimDelete === "delete" ? "delete" : "archive", ctx);
  });
}
