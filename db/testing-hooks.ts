import { afterAll, beforeAll } from "vitest";
import { createTestDatabase, type TestDatabase, type TestDriver } from "./testing";

/**
 * The database of one describe block (a file's, per driver): created before its tests, dropped
 * after them. The handle fills in when the block starts: read it in hooks and tests, not at the
 * top of the block. Hooks the block adds after this call run after the database exists.
 */
export function useTestDatabase(driver: TestDriver, poolSize?: number): TestDatabase {
  const t = {} as TestDatabase;
  beforeAll(async () => {
    Object.assign(t, await createTestDatabase(driver, poolSize));
  });
  afterAll(async () => {
    await t.close?.();
  });
  return t;
}
