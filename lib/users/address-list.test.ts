import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { PASTE_LIMITS, PASTE_MESSAGES } from "@/model/limits";
import { nameFromAddress, type PastedEntry, parseAddressList } from "./address-list";

function entries(text: string): PastedEntry[] {
  const list = parseAddressList(text);
  if (!list.ok) throw new Error(list.error);
  return list.entries;
}

const emails = (text: string) => entries(text).map((e) => e.email);

describe("parseAddressList", () => {
  it("splits on commas, semicolons, spaces, tabs and line breaks", () => {
    expect(emails("a@x.test, b@x.test;c@x.test d@x.test\te@x.test\nf@x.test\r\ng@x.test")).toEqual([
      "a@x.test",
      "b@x.test",
      "c@x.test",
      "d@x.test",
      "e@x.test",
      "f@x.test",
      "g@x.test",
    ]);
    expect(emails(" ,, ;\n a@x.test ;; \n")).toEqual(["a@x.test"]);
  });

  it("reads `Name <address>`, quoted names with commas, and bare addresses beside them", () => {
    const list = entries(
      'Ada Lovelace <ada@x.test>, "Hopper, Grace" <grace@x.test>; b@x.test Alan Turing <alan@x.test>\n<bare@x.test>',
    );
    expect(list.map((e) => [e.email, e.name, e.problem])).toEqual([
      ["ada@x.test", "Ada Lovelace", null],
      ["grace@x.test", "Hopper, Grace", null],
      ["b@x.test", "B", null],
      ["alan@x.test", "Alan Turing", null],
      ["bare@x.test", "Bare", null],
    ]);
    expect(list[0]?.raw).toBe("Ada Lovelace <ada@x.test>");
  });

  it("names a bare address after its local part", () => {
    expect(nameFromAddress("ada.lovelace@x.test")).toBe("Ada Lovelace");
    expect(nameFromAddress("j_doe-smith+tag@x.test")).toBe("J Doe Smith Tag");
    expect(nameFromAddress("...@x.test")).toBe("...@x.test");
  });

  it("marks what is no address, and keeps going", () => {
    const list = entries("not-an-address, a@x.test, Ada <nope>, @x.test, Broken <b@x.test");
    expect(list.map((e) => [e.raw, e.problem])).toEqual([
      ["not-an-address", "invalid"],
      ["a@x.test", null],
      ["Ada <nope>", "invalid"],
      ["@x.test", "invalid"],
      ["Broken", "invalid"],
      ["<b@x.test", "invalid"],
    ]);
  });

  it("marks repeats, case ignored, pointing at the first", () => {
    const list = entries("A@x.test, b@x.test, Someone <a@X.TEST>, b@x.test");
    expect(list.map((e) => [e.problem, e.firstIndex])).toEqual([
      [null, undefined],
      [null, undefined],
      ["duplicate", 0],
      ["duplicate", 1],
    ]);
  });

  it("refuses empty text, too many addresses and too much text, with how much is allowed", () => {
    expect(parseAddressList(" ,;\n")).toEqual({ ok: false, error: PASTE_MESSAGES.empty });
    const many = Array.from({ length: PASTE_LIMITS.entries + 1 }, (_, i) => `u${i}@x.test`);
    expect(parseAddressList(many.join("\n"))).toEqual({
      ok: false,
      error: "That's 10,001 addresses: paste at most 10,000 at a time.",
    });
    expect(parseAddressList(many.slice(1).join("\n")).ok).toBe(true);
    expect(parseAddressList("a".repeat(PASTE_LIMITS.bytes + 1))).toEqual({
      ok: false,
      error: PASTE_MESSAGES.tooLong,
    });
    // Bytes, not characters: "é" is two.
    expect(parseAddressList("é".repeat(PASTE_LIMITS.bytes / 2 + 1)).ok).toBe(false);
  });
});

/** Pasted text: addresses, names, separators, brackets, quotes and noise, in any order. */
const pasted = fc
  .array(
    fc.oneof(
      fc.emailAddress(),
      fc.constantFrom(", ", ";", "\n", " ", "\t", "\r\n", "<", ">", '"', "@", "Ada Lovelace "),
      fc.string({ maxLength: 12 }),
      fc.emailAddress().map((e) => `Name <${e.toUpperCase()}>`),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(""));

describe("parseAddressList, for any pasted text", () => {
  it("answers with entries or one error; each valid address is there once, and every entry shows what was pasted", () => {
    fc.assert(
      fc.property(pasted, (text) => {
        const list = parseAddressList(text);
        if (!list.ok) {
          expect(list.error).toBe(PASTE_MESSAGES.empty);
          return;
        }
        const kept = list.entries.filter((e) => e.problem === null);
        const keys = kept.map((e) => e.email?.toLowerCase());
        expect(new Set(keys).size).toBe(keys.length);
        list.entries.forEach((e, i) => {
          expect(e.index).toBe(i);
          expect(e.raw.trim()).toBe(e.raw);
          expect(e.raw.length).toBeGreaterThan(0);
          if (e.email) expect(text).toContain(e.email);
          if (e.problem === "duplicate") {
            const first = list.entries[e.firstIndex ?? -1];
            expect(first?.problem).toBe(null);
            expect(first?.email?.toLowerCase()).toBe(e.email?.toLowerCase());
          }
        });
        // The same text reads the same way every time: the apply sees what the preview saw.
        expect(parseAddressList(text)).toEqual(list);
      }),
      { numRuns: 500 },
    );
  });

  it("finds every address written on its own line", () => {
    fc.assert(
      fc.property(fc.array(fc.emailAddress(), { minLength: 1, maxLength: 30 }), (list) => {
        const found = entries(list.join("\n"));
        expect(found.map((e) => e.email)).toEqual(list);
        // fast-check's addresses are RFC 5321's; only those the app's check takes are invitable.
        for (const e of found) {
          expect(e.problem === "invalid").toBe(!z.email().safeParse(e.email).success);
        }
      }),
      { numRuns: 200 },
    );
  });
});
