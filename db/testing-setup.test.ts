import { randomBytes } from "node:crypto";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { TEST_DRIVERS } from "./testing";
import { resolveTestDatabaseUrl } from "./testing-setup";

// Nothing listens on port 1: a connection there is refused at once.
const NOBODY = "postgres://postgres@127.0.0.1:1/test";

describe("which databases the integration tests run on", () => {
  it("runs on PGlite only when TEST_DATABASE_URL is set but empty", async () => {
    await expect(resolveTestDatabaseUrl({ TEST_DATABASE_URL: "" })).resolves.toBeNull();
  });

  it("runs on PGlite only when no server answers on the default address", async () => {
    await expect(resolveTestDatabaseUrl({}, NOBODY)).resolves.toBeNull();
  });

  it("fails, rather than quietly skipping PostgreSQL, when the named server does not answer", async () => {
    await expect(resolveTestDatabaseUrl({ TEST_DATABASE_URL: NOBODY })).rejects.toThrow(
      `TEST_DATABASE_URL=${NOBODY} does not answer`,
    );
  });
});

describe.each(TEST_DRIVERS.filter((driver) => driver === "postgres"))("on %s", () => {
  it("uses the named server, creating its database when the server has none", async () => {
    const url = new URL(process.env.TEST_DATABASE_URL ?? "");
    const name = `roster_fresh_probe_${randomBytes(4).toString("hex")}`;
    url.pathname = `/${name}`;
    await expect(resolveTestDatabaseUrl({ TEST_DATABASE_URL: url.toString() })).resolves.toBe(
      url.toString(),
    );
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    try {
      const { rows } = await admin.query("select 1 from pg_database where datname = $1", [name]);
      expect(rows).toHaveLength(1);
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  });
});
