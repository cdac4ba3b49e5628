import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { lifecycleDoc } from "./lifecycle-doc";

describe("docs/lifecycle.md", () => {
  it("is what the registries say today (npm run docs:lifecycle rewrites it)", () => {
    const file = path.join(import.meta.dirname, "..", "docs", "lifecycle.md");
    expect(readFileSync(file, "utf8")).toBe(lifecycleDoc());
  });
});
