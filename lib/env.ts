import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { isMailFrom, MAIL_FROM_HINT } from "./mail/from";

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
  ROSTER_DB_POOL_SIZE: optional(
    z.coerce
      .number({ error: "must be a whole number of connections from 1 to 1000" })
      .int("must be a whole number of connections from 1 to 1000")
      .min(1, "must be a whole number of connections from 1 to 1000")
      .max(1000, "must be a whole number of connections from 1 to 1000")
      .optional(),
  ),
  ROSTER_METRICS_TOKEN: optional(
    z
      .string()
      .min(24, "must be at least 24 characters (openssl rand -base64 32)")
      .max(512, "must be at most 512 characters")
      .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces")
      .optional(),
  ),
  ROSTER_MAIL_FROM: optional(z.string().refine(isMailFrom, `must be ${MAIL_FROM_HINT}`).optional()),
  ROSTER_SETUP_TOKEN: optional(
    z
      .string()
      .min(16, "must be at least 16 characters (openssl rand -base64 24)")
      .max(512, "must be at most 512 characters")
      .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces")
      .optional(),
  ),
  ROSTER_DRAIN_SECONDS: optional(
    z.coerce
      .number({ error: "must be a whole number of seconds from 0 to 60" })
      .int("must be a whole number of seconds from 0 to 60")
      .min(0, "must be a whole number of seconds from 0 to 60")
      .max(60, "must be a whole number of seconds from 0 to 60")
      .optional(),
  ),
  ROSTER_LOG_FILE: optional(z.string().min(1).optional()),
  ROSTER_ACCESS_DOMAINS: optional(
    z
      .string()
      .max(4000)
      .regex(
        /^\s*[a-z0-9.-]+\.[a-z]{2,}\s*(,\s*[a-z0-9.-]+\.[a-z]{2,}\s*)*$/i,
        "must be email domains separated by commas, like example.com,example.org",
      )
      .optional(),
  ),
  ROSTER_TRUSTED_PROXIES: optional(
    z.coerce
      .number({ error: "must be the number of proxies in front of Roster, 0 to 10" })
      .int("must be the number of proxies in front of Roster, 0 to 10")
      .min(0, "must be the number of proxies in front of Roster, 0 to 10")
      .max(10, "must be the number of proxies in front of Roster, 0 to 10")
      .optional(),
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
  /** Proxies in front of the server that append to X-Forwarded-For (0: clients connect directly). */
  trustedProxies: number;
  /** Connections this instance's pool may open (PostgreSQL): instances × this ≤ the pooler's pool. */
  poolSize: number;
  /** Bearer token for GET /metrics; unset = no metrics endpoint. */
  metricsToken: string | undefined;
  /**
   * The code /setup asks for on a fresh workspace; unset = one generated at start, kept in the
   * database until setup is done and printed in the server's log (lib/setup-code.ts).
   */
  setupToken: string | undefined;
  /** The From of emails until /settings saves one; unset = derived from SMTP_URL. */
  mailFrom: string | undefined;
  /** Seconds between SIGTERM (readiness fails) and closing the listener (lib/shutdown.ts). */
  drainSeconds: number;
  /** A file that receives a copy of the JSON log lines (tests grep it); unset = stdout only. */
  logFile: string | undefined;
  /** Email domains /request-access takes requests from (lower case); null = any domain. */
  accessDomains: readonly string[] | null;
};

export class SettingsError extends Error {
  override name = "SettingsError";
}

export const DEFAULT_SEATS = 150;
const DEFAULT_POOL_SIZE = 10;
const DEFAULT_DRAIN_SECONDS = 5;
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
    ROSTER_DB_POOL_SIZE?: number;
    ROSTER_METRICS_TOKEN?: string;
    ROSTER_SETUP_TOKEN?: string;
    ROSTER_MAIL_FROM?: string;
    ROSTER_DRAIN_SECONDS?: number;
    ROSTER_LOG_FILE?: string;
    ROSTER_ACCESS_DOMAINS?: string;
    ROSTER_TRUSTED_PROXIES?: number;
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
    trustedProxies: e.ROSTER_TRUSTED_PROXIES ?? 0,
    poolSize: e.ROSTER_DB_POOL_SIZE ?? DEFAULT_POOL_SIZE,
    metricsToken: e.ROSTER_METRICS_TOKEN,
    setupToken: e.ROSTER_SETUP_TOKEN,
    mailFrom: e.ROSTER_MAIL_FROM,
    drainSeconds: e.ROSTER_DRAIN_SECONDS ?? DEFAULT_DRAIN_SECONDS,
    logFile: e.ROSTER_LOG_FILE
      ? path.resolve(/* turbopackIgnore: true */ process.cwd(), e.ROSTER_LOG_FILE)
      : undefined,
    accessDomains: e.ROSTER_ACCESS_DOMAINS
      ? e.ROSTER_ACCESS_DOMAINS.split(",").map((d) => d.trim().toLowerCase())
      : null,
  };
}

/**
 * What is wrong with the settings, without touching anything (no secret is generated): null when
 * the server can start. `next start` asks this before it says it is ready (next.config.ts).
 */
export function settingsProblem(
  env: Record<string, string | undefined> = process.env,
): string | null {
  try {
    const s = readSettings(env);
    if (s.databaseUrl && !s.authSecret) resolveAuthSecret(s);
    return null;
  } catch (error) {
    if (error instanceof SettingsError) return error.message;
    throw error;
  }
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
