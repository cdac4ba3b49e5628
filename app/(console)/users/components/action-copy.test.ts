import { describe, expect, it } from "vitest";
import { confirmTitle, resultMessage, seatsLine } from "./action-copy";

const skip = (name: string) => ({
  id: name,
  name,
  code: "owner" as const,
  reason: "The workspace owner can't be changed.",
});

describe("what the dialogs and toasts say", () => {
  it("titles name the one user, or count them", () => {
    expect(confirmTitle("archive", 1, "Dora Departing")).toBe("Archive Dora Departing?");
    expect(confirmTitle("archive", 3, null)).toBe("Archive 3 users?");
    expect(confirmTitle("delete", 1_200, null)).toBe("Permanently delete 1,200 users?");
  });

  it("results say what was done and what was skipped, and why", () => {
    expect(resultMessage("archive", 3, [])).toBe("Archived 3 users.");
    expect(resultMessage("archive", 3, [skip("Olivia Owner")])).toBe(
      "Archived 3 users. 1 skipped: Olivia Owner (The workspace owner can't be changed).",
    );
  });

  it("a capped skipped list still reports the full count", () => {
    const listed = [skip("A"), skip("B"), skip("C"), skip("D")];
    expect(resultMessage("deactivate", 1, listed, 2_500)).toMatch(
      /^Deactivated 1 user\. 2,500 skipped: A \(.*\); B \(.*\); C \(.*\); and 2,497 more\.$/,
    );
  });

  it("speaks of seats only when some are used, in grouped numbers", () => {
    expect(seatsLine({ needed: 0, free: 0 })).toBeNull();
    expect(seatsLine({ needed: 0, free: 12 })).toBeNull();
    expect(seatsLine({ needed: 1, free: 12 })).toBe("Uses 1 of 12 free seats.");
    expect(seatsLine({ needed: 1_200, free: 5_000 })).toBe("Uses 1,200 of 5,000 free seats.");
  });
});
