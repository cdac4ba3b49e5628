import { z } from "zod";
import { ACCESS_REQUEST_LIMITS, PASTE_LIMITS, PASTE_MESSAGES } from "@/model/limits";

/** One address as pasted: what was written, and what it reads as. */
export type PastedEntry = {
  /** Its position in the paste, from 0. */
  index: number;
  /** What was pasted for it, trimmed ("Ada Lovelace <ada@example.com>"). */
  raw: string;
  /** The address, as written (case kept); null when there is none to read. */
  email: string | null;
  /** The name given with it (`Name <a@b.c>`), else one made from the address. */
  name: string;
  /** What is wrong with it on its own, if anything. */
  problem: "invalid" | "duplicate" | null;
  /** For a duplicate: the index of the entry it repeats. */
  firstIndex?: number;
};

export type AddressList = { ok: true; entries: PastedEntry[] } | { ok: false; error: string };

const emailSchema = z.email().max(ACCESS_REQUEST_LIMITS.email);

const HARD_SEPARATORS = new Set([",", ";", "\n", "\r"]);

/** Splits on commas, semicolons and line breaks, except inside "quotes" and <angle brackets>. */
function segments(text: string): string[] {
  const out: string[] = [];
  let current = "";
  let quoted = false;
  let angled = false;
  for (const c of text) {
    if (c === '"' && !angled) quoted = !quoted;
    else if (c === "<" && !quoted) angled = true;
    else if (c === ">" && !quoted) angled = false;
    if (HARD_SEPARATORS.has(c) && !quoted && !angled) {
      out.push(current);
      current = "";
    } else current += c;
  }
  out.push(current);
  return out;
}

type Piece = { raw: string; email: string | null; name: string | null };

/** Words of a segment: "<a@b.c>" parts, and the words around them (spaces separate entries). */
function pieces(segment: string): Piece[] {
  const out: Piece[] = [];
  let rest = segment;
  for (;;) {
    const open = rest.indexOf("<");
    if (open < 0) break;
    const close = rest.indexOf(">", open);
    if (close < 0) break;
    const before = words(rest.slice(0, open));
    // Words with an @ before the name are addresses of their own; the rest name this one.
    const lastAddress = before.findLastIndex((w) => w.includes("@"));
    for (const w of before.slice(0, lastAddress + 1)) out.push({ raw: w, email: w, name: null });
    const nameWords = before.slice(lastAddress + 1);
    const name = unquote(nameWords.join(" "));
    const email = rest.slice(open + 1, close).trim();
    out.push({
      raw: [...nameWords, rest.slice(open, close + 1)].join(" "),
      email: email || null,
      name: name || null,
    });
    rest = rest.slice(close + 1);
  }
  // What is left: bare addresses, or something that is none (an unclosed "<", a stray word).
  for (const w of words(rest))
    out.push({ raw: w, email: w.startsWith("<") ? null : w, name: null });
  return out;
}

function words(text: string): string[] {
  const trimmed = text.trim();
  if (!trimmed) return [];
  // Quoted names keep their spaces: "Ada Lovelace" is one word.
  return trimmed.match(/"[^"]*"|[^\s"]+|"/g) ?? [];
}

function unquote(name: string): string {
  return name.replaceAll('"', "").replaceAll(/\s+/g, " ").trim();
}

/** "ada.lovelace@example.com" → "Ada Lovelace": a name until the person sets their own. */
export function nameFromAddress(email: string): string {
  const local = email.slice(0, email.lastIndexOf("@"));
  const name = local
    .split(/[._+-]+/)
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join(" ");
  return (name || email).slice(0, ACCESS_REQUEST_LIMITS.name);
}

/**
 * A pasted text as a list of addresses: separated by commas, spaces, semicolons or line breaks,
 * each either bare or as `Name <a@b.c>`; each checked as an address, and each repeat (case
 * ignored) marked as one. Refused as a whole only when it is empty or over the limits.
 */
export function parseAddressList(text: string): AddressList {
  if (new TextEncoder().encode(text).length > PASTE_LIMITS.bytes) {
    return { ok: false, error: PASTE_MESSAGES.tooLong };
  }
  const found = segments(text).flatMap(pieces);
  if (found.length === 0) return { ok: false, error: PASTE_MESSAGES.empty };
  if (found.length > PASTE_LIMITS.entries) {
    return { ok: false, error: PASTE_MESSAGES.tooMany(found.length) };
  }
  const seen = new Map<string, number>();
  const entries = found.map((p, index): PastedEntry => {
    const valid =
      p.email !== null &&
      emailSchema.safeParse(p.email).success &&
      (p.name ?? "").length <= ACCESS_REQUEST_LIMITS.name;
    const email = p.email;
    const name = p.name ?? (email && valid ? nameFromAddress(email) : "");
    if (!valid || email === null) return { index, raw: p.raw, email, name, problem: "invalid" };
    const key = email.toLowerCase();
    const firstIndex = seen.get(key);
    if (firstIndex !== undefined) {
      return { index, raw: p.raw, email, name, problem: "duplicate", firstIndex };
    }
    seen.set(key, index);
    return { index, raw: p.raw, email, name, problem: null };
  });
  return { ok: true, entries };
}
