import { describe, expect, it } from "vitest";
import { rowLabel } from "./row-label";

const user = (name: string, email: string) => ({ name, email });

describe("a row's name in labels (Select …, Actions for …)", () => {
  it("is the name alone where it is the only one on the page", () => {
    const rows = [user("Ada Lovelace", "ada@x.test"), user("Ben Anders", "ben@x.test")];
    expect(rowLabel(rows[0] as (typeof rows)[0], rows)).toBe("Ada Lovelace");
  });

  it("adds the email where the name repeats on the page, so each label is told apart", () => {
    const rows = [
      user("Aaliyah Abbott", "aaliyah.1@x.test"),
      user("Aaliyah Abbott", "aaliyah.2@x.test"),
      user("Ben Anders", "ben@x.test"),
    ];
    expect(rows.map((r) => rowLabel(r, rows))).toEqual([
      "Aaliyah Abbott (aaliyah.1@x.test)",
      "Aaliyah Abbott (aaliyah.2@x.test)",
      "Ben Anders",
    ]);
  });
});
