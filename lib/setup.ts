import { createHash, randomInt, timingSafeEqual } from "node:crypto";
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

/*
 * The setup code. Whoever reaches /setup first on a fresh workspace would become its owner, so
 * setup asks for a code only the operator can see: ROSTER_SETUP_TOKEN from the environment, or
 * (as Jenkins and Grafana do) one generated at start and printed in the server's log. The
 * generated code lives in the database, so every instance of a cluster prints and accepts the
 * same one, and it is deleted with the setup that uses it. 16 characters of a 32-letter alphabet
 * are 80 bits: guessing is hopeless without a throttle.
 */
const SETUP_CODE_KEY = "setup_code";
/** Crockford's base 32: no I, L, O or U to misread. */
const CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

function generateSetupCode(): string {
  const chars = Array.from({ length: 16 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join("")).join("-");
}

/** What a person types: case, spaces and dashes don't matter; O and I/L read as 0 and 1. */
function normalizeCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
}

function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

export type SetupCode =
  | { source: "environment" }
  | { source: "generated"; code: string; created: boolean };

/**
 * On a fresh workspace: where its setup code comes from, generating (once, for every instance)
 * the one to print when the environment names none. Null once the workspace is set up.
 */
export async function ensureSetupCode(
  db: Db,
  envToken: string | undefined,
): Promise<SetupCode | null> {
  if (!(await needsSetup(db))) return null;
  if (envToken) return { source: "environment" };
  const [created] = await queryRows<{ value: string }>(
    db,
    sql`insert into workspace_meta (key, value) values (${SETUP_CODE_KEY}, ${generateSetupCode()})
        on conflict (key) do nothing returning value`,
  );
  if (created) return { source: "generated", code: created.value, created: true };
  const [stored] = await queryRows<{ value: string }>(
    db,
    sql`select value from workspace_meta where key = ${SETUP_CODE_KEY}`,
  );
  if (!stored) throw new Error("ensureSetupCode: the setup code vanished");
  return { source: "generated", code: stored.value, created: false };
}

/** The lines the server prints so that its operator can finish setup. */
export function setupCodeBanner(code: SetupCode, publicUrl: string): string {
  const where = `${publicUrl}/setup`;
  if (code.source === "environment") {
    return `\nRoster: first-run setup is open at ${where}. Its setup code is ROSTER_SETUP_TOKEN.\n`;
  }
  return [
    "",
    "*************************************************************",
    `Roster: first-run setup is open at ${where}`,
    `Setup code: ${code.code}`,
    "It creates the owner account once; this code is then deleted.",
    "*************************************************************",
    "",
  ].join("\n");
}

/** Whether `given` is this workspace's setup code (compared in constant time). */
export async function setupCodeMatches(
  db: Db,
  given: string,
  envToken: string | undefined,
): Promise<boolean> {
  if (envToken) return sameSecret(given.trim(), envToken);
  const [stored] = await queryRows<{ value: string }>(
    db,
    sql`select value from workspace_meta where key = ${SETUP_CODE_KEY}`,
  );
  if (!stored) return false;
  return sameSecret(normalizeCode(given), normalizeCode(stored.value));
}

export const SETUP_CODE_WRONG =
  "That is not this workspace's setup code. It is printed in the server's log at start (\"Setup code: …\"), or it is the ROSTER_SETUP_TOKEN its operator set.";

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
    // Used once: the code goes with the setup it opened.
    await tx.execute(sql`delete from workspace_meta where key = ${SETUP_CODE_KEY}`);
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
