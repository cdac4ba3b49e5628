import { sql } from "drizzle-orm";
import { type Db, queryRows } from "@/db/client";
import type { UserRole, UserStatus } from "@/db/schema";
import type { Person } from "@/model/permissions";

export const TRANSFER_WORKSPACE_REFUSALS = {
  notOwner: "Only the workspace owner can hand the workspace over.",
  mismatch: "That email isn't an active admin's. Type the new owner's email exactly.",
  self: "You're already the owner. Type the email of the admin who takes over.",
} as const;

export type TransferWorkspaceResult =
  | { ok: true; newOwnerId: string }
  | { ok: false; error: string };

type Row = { id: string; email: string; role: UserRole; status: UserStatus };

/**
 * "Transfer workspace ownership": the owner hands the owner role to an active admin, named by
 * their email (the typed confirmation), and becomes an admin; both rows locked in id order, both
 * changes and the audit event (roles from and to) in one transaction. Each change applies at
 * the person's next request, where the session re-reads the role.
 */
export async function transferWorkspaceOwnership(
  db: Db,
  args: { actor: Person; newOwnerEmail: string; requestId: string | null; now: Date },
): Promise<TransferWorkspaceResult> {
  return db.transaction(async (tx) => {
    const rows = await queryRows<Row>(
      tx,
      sql`select id, email, role, status from users
          where id = ${args.actor.id}::uuid or lower(email) = lower(${args.newOwnerEmail.trim()})
          order by id for update`,
    );
    const owner = rows.find((r) => r.id === args.actor.id);
    if (owner?.role !== "owner" || owner.status !== "active") {
      return { ok: false, error: TRANSFER_WORKSPACE_REFUSALS.notOwner };
    }
    const next = rows.find((r) => r.id !== args.actor.id);
    if (!next) {
      const self = owner.email.toLowerCase() === args.newOwnerEmail.trim().toLowerCase();
      return {
        ok: false,
        error: self ? TRANSFER_WORKSPACE_REFUSALS.self : TRANSFER_WORKSPACE_REFUSALS.mismatch,
      };
    }
    if (next.role !== "admin" || next.status !== "active") {
      return { ok: false, error: TRANSFER_WORKSPACE_REFUSALS.mismatch };
    }
    await tx.execute(sql`update users set role = 'admin' where id = ${owner.id}::uuid`);
    await tx.execute(sql`update users set role = 'owner' where id = ${next.id}::uuid`);
    const at = args.now.toISOString();
    // The audit keeps ids and words, no personal data: the roles each person went from and to.
    await tx.execute(sql`
      insert into audit_events (at, actor_id, action, target_id, from_status, to_status, request_id, records_moved)
      values (${at}::timestamptz, ${owner.id}::uuid, 'transfer-workspace', ${next.id}::uuid,
        'active', 'active', ${args.requestId},
        ${JSON.stringify({ roles: { [owner.id]: ["owner", "admin"], [next.id]: ["admin", "owner"] } })}::jsonb)`);
    return { ok: true, newOwnerId: next.id };
  });
}
