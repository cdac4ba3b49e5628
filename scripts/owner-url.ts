import { SettingsError } from "@/lib/env";

/**
 * Migrations, seeding and resets run as the role that owns the tables: MIGRATE_DATABASE_URL,
 * else DATABASE_URL. The app itself connects with DATABASE_URL, ideally a member of roster_app
 * that can't rewrite the audit (see the README's production section).
 */
export function ownerDatabaseUrl(
  databaseUrl: string | undefined,
  env: Record<string, string | undefined> = process.env,
): string | undefined {
  const given = env.MIGRATE_DATABASE_URL?.trim();
  if (!given) return databaseUrl;
  if (!/^postgres(ql)?:\/\//.test(given)) {
    throw new SettingsError(
      "Roster can't migrate: MIGRATE_DATABASE_URL must be a postgres:// or postgresql:// URL.",
    );
  }
  return given;
}
