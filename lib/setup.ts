import { sql } from "drizzle-orm";
import { z } from "zod";
import { type Db, queryRows } from "@/db/client";
import { hashPassword, newPasswordSchema } from "./password";

/** Once a workspace is set up it stays so: remember it and stop asking the database. */
const setUp = new WeakSet<Db>();

/** A fresh workspace (no user, never set up) waits for its owner at /setup. */
export async function needsSetup(db: Db): Promise<boolean> {
  if (setUp.has(db)) return false;
  const [row] = await queryRows<{ fresh: boolean }>(
    db,
    sql`select not exists (select 1 from users)
          and not exists (select 1 from workspace_meta where key = 'setup') as fresh`,
  );
  if (!row?.fresh) setUp.add(db);
  return Boolean(row?.fresh);
}

export const ownerSchema = z.strictObject({
  name: z
    .string({ error: "Enter your name." })
    .trim()
    .min(1, "Enter your name.")
    .max(200, "Use a name of at most 200 characters."),
  email: z
    .string({ error: "Enter your email." })
    .trim()
    .toLowerCase()
    .max(320, "Use an email of at most 320 characters.")
    .pipe(z.email("Enter an email address like you@example.com.")),
  password: newPasswordSchema,
});
export type OwnerInput = z.output<typeof ownerSchema>;

export const SETUP_CLOSED = "This workspace is already set up. Sign in instead.";

/**
 * Creates the owner of a fresh workspace, once. The `setup` marker's primary key makes
 * concurrent submissions wait for each other: the first creates the owner, every other one finds
 * the marker and changes nothing.
 */
export async function createOwner(
  db: Db,
  input: OwnerInput,
  now: Date = new Date(),
): Promise<{ ok: true; id: string } | { ok: false; error: string }> {
  const passwordHash = await hashPassword(input.password);
  const at = now.toISOString();
  return db.transaction(async (tx) => {
    const [claimed] = await queryRows<{ key: string }>(
      tx,
      sql`insert into workspace_meta (key, value) values ('setup', ${at})
          on conflict (key) do nothing returning key`,
    );
    if (!claimed) return { ok: false, error: SETUP_CLOSED };
    const [existing] = await queryRows<{ id: string }>(tx, sql`select id from users limit 1`);
    if (existing) return { ok: false, error: SETUP_CLOSED };
    const [owner] = await queryRows<{ id: string }>(
      tx,
      sql`insert into users (name, email, role, status, password_hash, created_at)
          values (${input.name}, ${input.email}, 'owner', 'active', ${passwordHash}, ${at}::timestamptz)
          returning id`,
    );
    if (!owner) throw new Error("createOwner: insert returned no row");
    await tx.execute(sql`insert into audit_events (actor_id, action, target_id, to_status, at)
      values (${owner.id}::uuid, 'setup', ${owner.id}::uuid, 'active', ${at}::timestamptz)`);
    return { ok: true, id: owner.id };
  });
}
