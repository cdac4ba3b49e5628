import path from "node:path";
import { defineConfig } from "vitest/config";

const root = path.dirname(new URL(import.meta.url).pathname);

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\//, replacement: `${root}/` },
      // Next enforces this marker at build time; under Vitest it is an empty module.
      { find: /^server-only$/, replacement: `${root}/db/testing-server-only.ts` },
    ],
  },
  test: {
    environment: "node",
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "e2e/**", ".next/**", ".next-*/**"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // PGlite always; PostgreSQL too when TEST_DATABASE_URL is set or a local server answers.
    globalSetup: ["./db/testing-setup.ts"],
    // Cheaper password hashing in every test file but lib/password.test.ts (see the file).
    setupFiles: ["./lib/testing/cheap-password-hashing.ts"],
    // Seals invitation tokens in the outbox (lib/mail/sealed-link.ts) without a generated file.
    env: { AUTH_SECRET: "vitest-auth-secret-0123456789abcdef" },
  },
});
