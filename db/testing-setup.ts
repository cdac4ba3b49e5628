/**
 * Vitest global setup: decides which databases the integration tests run on. PGlite always;
 * PostgreSQL too when TEST_DATABASE_URL is set, or when a local server answers on the default
 * port. The choice reaches the test workers through TEST_DATABASE_URL (see TEST_DRIVERS).
 */
import pg from "pg";

export const DEFAULT_TEST_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test";

type Probe = { ok: true } | { ok: false; missingDatabase: boolean; message: string };

async function probe(url: string): Promise<Probe> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  // A refused or dropped connection is an answer here, not a crash of the test run.
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("select 1");
    return { ok: true };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return {
      ok: false,
      missingDatabase: code === "3D000",
      message: error instanceof Error ? error.message : String(error),
    };
  } finally {
    await client.end().catch(() => {});
  }
}

/** The server answers but the database is missing (a fresh server): create it. */
async function createDatabase(url: string) {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  target.pathname = "/postgres";
  const client = new pg.Client({
    connectionString: target.toString(),
    connectionTimeoutMillis: 3_000,
  });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}

function redact(url: string) {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}

/** The PostgreSQL URL to test on, or null for PGlite only; a named server that fails throws. */
export async function resolveTestDatabaseUrl(
  env: Record<string, string | undefined>,
  defaultUrl = DEFAULT_TEST_DATABASE_URL,
): Promise<string | null> {
  const named = env.TEST_DATABASE_URL;
  // Set but empty: PGlite only, on purpose.
  if (named === "") return null;
  const url = named ?? defaultUrl;
  let result = await probe(url);
  if (!result.ok && result.missingDatabase) {
    try {
      await createDatabase(url);
      result = await probe(url);
    } catch (error) {
      if (named) throw error;
    }
  }
  if (result.ok) return url;
  if (named) {
    throw new Error(`TEST_DATABASE_URL=${redact(named)} does not answer: ${result.message}`);
  }
  return null;
}

export default async function setup() {
  const url = await resolveTestDatabaseUrl(process.env);
  const summary = url
    ? `Integration tests ran on PGlite and on PostgreSQL (${redact(url)}).`
    : process.env.TEST_DATABASE_URL === ""
      ? "Integration tests ran on PGlite only (TEST_DATABASE_URL is empty)."
      : `Integration tests ran on PGlite only: no PostgreSQL answered at ${DEFAULT_TEST_DATABASE_URL} (set TEST_DATABASE_URL to use one).`;
  if (url) process.env.TEST_DATABASE_URL = url;
  else delete process.env.TEST_DATABASE_URL;
  console.log(summary.replace("ran on", "run on"));
  return () => {
    console.log(summary);
  };
}
