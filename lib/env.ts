import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

const optional = (schema: z.ZodType) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), schema);

const envSchema = z.object({
  PORT: optional(
    z.coerce
      .number({ error: "must be a port number from 1 to 65535" })
      .int("must be a port number from 1 to 65535")
      .min(1, "must be a port number from 1 to 65535")
      .max(65535, "must be a port number from 1 to 65535")
      .optional(),
  ),
  DATABASE_URL: optional(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
      .optional(),
  ),
  AUTH_SECRET: optional(z.string().min(16, "must be at least 16 characters").optional()),
  ROSTER_DATA_DIR: optional(z.string().min(1).optional()),
  ROSTER_SEATS: optional(
    z.coerce
      .number({ error: "must be a whole number of seats, at least 1" })
      .int("must be a whole number of seats, at least 1")
      .min(1, "must be a whole number of seats, at least 1")
      .max(10_000_000, "must be at most 10,000,000")
      .optional(),
  ),
  SMTP_URL: optional(
    z
      .string()
      .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")
      .optional(),
  ),
  ROSTER_URL: optional(
    z
      .string()
      .refine(
        isPublicOrigin,
        "must be the public origin people open, like https://roster.example.com",
      )
      .optional(),
  ),
  ROSTER_DEMO: optional(
    z.enum(["0", "1"], { error: "must be 1 (load demo data) or 0" }).optional(),
  ),
  NODE_ENV: z.string().optional(),
});

/** An http(s) origin with no credentials, path, query or fragment. */
function isPublicOrigin(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (
    (url.protocol === "https:" || url.protocol === "http:") &&
    !url.username &&
    !url.password &&
    (url.pathname === "/" || url.pathname === "") &&
    !url.search &&
    !url.hash &&
    !value.includes("?") &&
    !value.includes("#")
  );
}

export type Settings = {
  port: number | undefined;
  databaseUrl: string | undefined;
  authSecret: string | undefined;
  dataDir: string;
  seats: number;
  smtpUrl: string | undefined;
  /** The origin every link in an email starts with (never taken from a request's headers). */
  publicUrl: string;
  /** Load the demo workspace into an empty database: in development, or with ROSTER_DEMO=1. */
  demo: boolean;
};

export class SettingsError extends Error {
  override name = "SettingsError";
}

export const DEFAULT_SEATS = 150;
const DEFAULT_PORT = 3000;

/** Validates the environment; throws a SettingsError naming each bad variable. */
export function readSettings(env: Record<string, string | undefined> = process.env): Settings {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    // Name the variable, never echo its value: it may be a secret or hold a password.
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new SettingsError(`Roster can't start: invalid settings.\n${lines.join("\n")}`);
  }
  const e = parsed.data as {
    PORT?: number;
    DATABASE_URL?: string;
    AUTH_SECRET?: string;
    ROSTER_DATA_DIR?: string;
    ROSTER_SEATS?: number;
    SMTP_URL?: string;
    ROSTER_URL?: string;
    ROSTER_DEMO?: "0" | "1";
    NODE_ENV?: string;
  };
  const production = e.NODE_ENV === "production";
  if (production && !e.ROSTER_URL) {
    throw new SettingsError(
      "Roster can't start: invalid settings.\n  ROSTER_URL: is required in production: the public origin people open, like https://roster.example.com (links in emails start with it)",
    );
  }
  return {
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    authSecret: e.AUTH_SECRET,
    dataDir: path.resolve(/* turbopackIgnore: true */ process.cwd(), e.ROSTER_DATA_DIR ?? ".data"),
    seats: e.ROSTER_SEATS ?? DEFAULT_SEATS,
    smtpUrl: e.SMTP_URL,
    publicUrl: e.ROSTER_URL
      ? new URL(e.ROSTER_URL).origin
      : `http://localhost:${e.PORT ?? DEFAULT_PORT}`,
    demo: e.ROSTER_DEMO ? e.ROSTER_DEMO === "1" : e.NODE_ENV === "development",
  };
}

let cached: Settings | undefined;
export function settings(): Settings {
  cached ??= readSettings();
  return cached;
}

/**
 * AUTH_SECRET, or on the embedded database one generated once and kept in the data folder.
 * With DATABASE_URL the secret must be given: app instances share it.
 */
export function resolveAuthSecret(s: Settings = settings()): string {
  if (s.authSecret) return s.authSecret;
  if (s.databaseUrl) {
    throw new SettingsError(
      "Roster can't start: AUTH_SECRET is required when DATABASE_URL is set (every app instance must share it). Generate one with: openssl rand -base64 32",
    );
  }
  const file = path.join(s.dataDir, "auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(s.dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
