import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The layers point one way: model/ ← db/ ← lib/users/, lib/jobs/ ← lib/lifecycle/ ← app/.
 * Production files only: a test or a testing/ helper may compose the layers it checks.
 */
const ROOT = path.resolve(import.meta.dirname, "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)).split(path.sep).join("/"));
}

const isProduction = (file: string) =>
  !/\.test\.tsx?$/.test(file) && !/(^|\/)testing[/.-]/.test(file) && !file.includes("/migrations/");

/** The repository paths a file imports (`@/…` and relative specifiers; packages are left out). */
function importsOf(file: string, source = readFileSync(path.join(ROOT, file), "utf8")) {
  const specifiers = [...source.matchAll(/\b(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map(
    (m) => m[1] as string,
  );
  return specifiers.flatMap((s) => {
    if (s.startsWith("@/")) return [s.slice(2)];
    if (s.startsWith(".")) return [path.posix.join(path.posix.dirname(file), s)];
    return [];
  });
}

function offending(dirs: string[], forbidden: string[]): string[] {
  return dirs
    .flatMap(sourceFiles)
    .filter(isProduction)
    .flatMap((file) =>
      importsOf(file)
        .filter((target) => forbidden.some((f) => target === f || target.startsWith(`${f}/`)))
        .map((target) => `${file} → ${target}`),
    );
}

describe("layers", () => {
  it("db/ imports nothing from lib/", () => {
    expect(offending(["db"], ["lib"])).toEqual([]);
  });

  it("lib/users and lib/jobs don't import each other, nor lib/lifecycle above them", () => {
    expect(offending(["lib/users"], ["lib/jobs", "lib/lifecycle"])).toEqual([]);
    expect(offending(["lib/jobs"], ["lib/users", "lib/lifecycle"])).toEqual([]);
  });

  it("sees the imports it checks", () => {
    // lib/lifecycle/ composes both: were the scan blind, the checks above would pass on anything.
    expect(offending(["lib/lifecycle"], ["lib/users", "lib/jobs"]).length).toBeGreaterThan(2);
    expect(
      importsOf("db/x.ts", 'import { a } from "@/lib/env";\nimport b from "../lib/password";'),
    ).toEqual(["lib/env", "lib/password"]);
    expect(isProduction("lib/users/testing/fixtures.ts")).toBe(false);
    expect(isProduction("db/testing-setup.ts")).toBe(false);
    expect(isProduction("db/client.ts")).toBe(true);
  });
});
