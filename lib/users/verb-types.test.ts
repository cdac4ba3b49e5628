import { describe, expect, it } from "vitest";
import { forBrowser, MAX_RESULT_ITEMS, SKIP_REASONS, type VerbResult } from "./verb-types";

const id = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;

describe("forBrowser", () => {
  it("passes small answers through, with the skipped count", () => {
    const small: VerbResult = {
      ok: true,
      action: "archive",
      done: 1,
      changed: [{ id: id(1), status: "archived" }],
      skipped: [{ id: id(2), name: "B", code: "owner", reason: SKIP_REASONS.owner }],
    };
    expect(forBrowser(small)).toEqual({ ...small, skippedCount: 1 });
    expect(forBrowser({ ok: false, error: "x" })).toEqual({ ok: false, error: "x" });
  });

  it("caps huge lists and says so; the counts stay exact", () => {
    const n = MAX_RESULT_ITEMS + 5;
    const big: VerbResult = {
      ok: true,
      action: "deactivate",
      done: n,
      changed: Array.from({ length: n }, (_, i) => ({ id: id(i), status: "inactive" as const })),
      skipped: Array.from({ length: n }, (_, i) => ({
        id: id(n + i),
        name: null,
        code: "status" as const,
        reason: SKIP_REASONS.status,
      })),
    };
    const out = forBrowser(big);
    expect(out).toMatchObject({ ok: true, done: n, skippedCount: n, truncated: true });
    if (out.ok) {
      expect(out.changed).toHaveLength(MAX_RESULT_ITEMS);
      expect(out.skipped).toHaveLength(MAX_RESULT_ITEMS);
    }
  });
});
