import { eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { type Executor, queryRows } from "@/db/client";
import { RECORD_KINDS, type RecordKind, users } from "@/db/schema";
import { isUuid } from "@/db/sql";

const changer = alias(users, "changer");

/** The user's open invitation (unused, unexpired), if any. */
const openInvitation = (column: "created_at" | "expires_at") =>
  sql<
    string | null
  >`(select i.${sql.raw(column)} from invitations i where i.user_id = "users"."id" and i.used_at is null and i.expires_at > now() order by i.created_at desc limit 1)`;

/** The user detail page's profile: null for an unknown or malformed id (a 404, never a 500). */
export async function userDetail(db: Executor, id: string) {
  if (!isUuid(id)) return null;
  const [row] = await db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      role: users.role,
      status: users.status,
      previousStatus: users.previousStatus,
      createdAt: users.createdAt,
      lastSignInAt: users.lastSignInAt,
      statusChangedAt: users.statusChangedAt,
      statusChangedById: users.statusChangedBy,
      statusChangedByName: changer.name,
      invitationSentAt: openInvitation("created_at"),
      invitationExpiresAt: openInvitation("expires_at"),
      accessEndsAt: sql<string | null>`"users"."access_ends_at"`,
      requestMessage: sql<
        string | null
      >`(select r.message from access_requests r where r.user_id = "users"."id")`,
    })
    .from(users)
    .leftJoin(changer, eq(changer.id, users.statusChangedBy))
    .where(eq(users.id, id.toLowerCase()))
    .limit(1);
  return row ?? null;
}

/** What a user owns: per kind, how many, and the first `limit` records (by name). */
export type OwnedSummary = {
  kind: RecordKind;
  count: number;
  records: { id: string; name: string }[];
}[];

export async function ownedRecordsSummary(
  db: Executor,
  userId: string,
  limit = 20,
): Promise<OwnedSummary> {
  const rows = await queryRows<{
    kind: RecordKind;
    count: number;
    records: { id: string; name: string }[] | null;
  }>(
    db,
    sql`
    select 'project' as kind,
      (select count(*)::int from projects where owner_id = ${userId}::uuid) as count,
      (select jsonb_agg(jsonb_build_object('id', id, 'name', name) order by name, id) from (select name, id from projects where owner_id = ${userId}::uuid order by name, id limit ${limit}) p) as records
    union all
    select 'automation',
      (select count(*)::int from automations where owner_id = ${userId}::uuid),
      (select jsonb_agg(jsonb_build_object('id', id, 'name', name) order by name, id) from (select name, id from automations where owner_id = ${userId}::uuid order by name, id limit ${limit}) a)`,
  );
  return RECORD_KINDS.map((kind) => {
    const r = rows.find((x) => x.kind === kind);
    return { kind, count: Number(r?.count ?? 0), records: r?.records ?? [] };
  });
}
