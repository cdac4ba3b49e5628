import { createParser } from "nuqs/server";

/**
 * nuqs parsers for the values console pages read from their URLs. Each refuses (null, so the
 * page falls back to its default) what the database would choke on: control characters such
 * as NUL, which PostgreSQL text can't hold, and days it can't represent.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
export const MAX_SEARCH_LENGTH = 200;

/** Free text (a search, a name or email fragment): trimmed, printable, at most 200 characters. */
export function searchText(raw: string): string | null {
  if (CONTROL.test(raw)) return null;
  const text = raw.trim();
  return text.length <= MAX_SEARCH_LENGTH ? text : null;
}

export const parseAsSearchText = createParser({ parse: searchText, serialize: (v) => v });

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar day as YYYY-MM-DD, between the years 1000 and 9999, that exists (no 2024-02-30). */
export function calendarDay(raw: string): string | null {
  const m = DAY.exec(raw);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1000 || month < 1 || month > 12 || day < 1) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? raw : null;
}

export const parseAsDay = createParser({ parse: calendarDay, serialize: (v) => v });

/** A page number: a whole number from 1 to 1,000,000 written in plain digits. */
export const parseAsPage = createParser({
  parse: (raw) => {
    if (!/^\d{1,7}$/.test(raw)) return null;
    const n = Number(raw);
    return n >= 1 && n <= 1_000_000 ? n : null;
  },
  serialize: String,
});

/** A switch written as `1`; anything else is off. */
export const parseAsFlag = createParser({
  parse: (raw) => raw === "1",
  serialize: (v) => (v ? "1" : "0"),
});

/** An opaque keyset cursor: printable ASCII of bounded length, decoded and checked by the query. */
export const parseAsCursor = createParser({
  parse: (raw) => (/^[\x21-\x7e]{1,1000}$/.test(raw) ? raw : null),
  serialize: (v) => v,
});
