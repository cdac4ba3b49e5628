import { Readable } from "node:stream";
import { parse } from "csv-parse";
import { z } from "zod";
import {
  IMPORT_COLUMNS,
  IMPORT_MAX_BYTES,
  IMPORT_MAX_ROWS,
  IMPORT_MESSAGES,
  IMPORT_REQUIRED,
  IMPORT_STATUSES,
  type ImportColumn,
  type ImportStatus,
  type RowProblem,
} from "@/model/import-csv";
import { ACCESS_REQUEST_LIMITS } from "@/model/limits";
import { rolesBelow } from "@/model/permissions";
import { ROLE_LABELS, USER_ROLES, type UserRole } from "@/model/roles";
import { nameFromAddress } from "./address-list";

/**
 * Reads an uploaded CSV file as it streams in (csv-parse): UTF-8 with or without a BOM, comma or
 * semicolon separated (the header line decides), quoted fields, LF or CRLF. Each row of data is
 * checked on its own against the importing actor; what needs the database (already a user, twice
 * in the file, seats) is planned later, in SQL (import-users.ts). Memory holds one chunk and one
 * row at a time, whatever the file's size.
 */

/** One row of data: where it starts in the file, what it says, and what is wrong with it. */
export type CsvRow = {
  line: number;
  email: string;
  name: string;
  role: string;
  status: string;
  problems: RowProblem[];
};

/** A file as it arrives: chunks of bytes (or text), streamed or at hand. */
export type CsvSource = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

/** The whole file is refused (nothing was read into the import). */
export class CsvFileError extends Error {}

const emailSchema = z.email().max(ACCESS_REQUEST_LIMITS.email);

/** Bytes in, text out without CRs before line feeds: csv-parse then counts lines as people do. */
async function* normalized(source: CsvSource): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let bytes = 0;
  let held = "";
  for await (const chunk of source) {
    let text: string;
    if (typeof chunk === "string") text = chunk;
    else {
      bytes += chunk.byteLength;
      if (bytes > IMPORT_MAX_BYTES) throw new CsvFileError(IMPORT_MESSAGES.tooLarge);
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        throw new CsvFileError(NOT_UTF8);
      }
    }
    text = held + text;
    // A CR at the end of a chunk may be the first half of a CRLF: keep it for the next one.
    held = text.endsWith("\r") ? "\r" : "";
    if (held) text = text.slice(0, -1);
    if (text) yield text.replaceAll("\r\n", "\n");
  }
  try {
    const rest = held + decoder.decode();
    if (rest) yield rest.replaceAll("\r\n", "\n");
  } catch {
    throw new CsvFileError(NOT_UTF8);
  }
}

const NOT_UTF8 =
  "That file isn't UTF-8 text. In Excel, save it as “CSV UTF-8 (Comma delimited)” and choose it again.";

/** The header line's separator: the one of `,` and `;` it uses more of, outside quotes. */
function separatorOf(header: string): "," | ";" {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const c of header) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === ",") commas++;
    else if (!quoted && c === ";") semicolons++;
  }
  return semicolons > commas ? ";" : ",";
}

/** Peeks at the text up to the first line break to choose the separator, then replays it all. */
async function withSeparator(
  text: AsyncIterable<string>,
): Promise<{ separator: "," | ";"; text: AsyncIterable<string> }> {
  const it = text[Symbol.asyncIterator]();
  const seen: string[] = [];
  let head = "";
  while (!head.includes("\n")) {
    const next = await it.next();
    if (next.done) break;
    seen.push(next.value);
    head += next.value;
  }
  const separator = separatorOf(head.split("\n")[0]?.replace(/^\uFEFF/, "") ?? "");
  async function* replay() {
    yield* seen;
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { separator, text: replay() };
}

type Header = Partial<Record<ImportColumn, number>>;

function readHeader(record: string[]): Header {
  const header: Header = {};
  record.forEach((raw, i) => {
    const name = raw
      .replace(/^\uFEFF/, "")
      .trim()
      .toLowerCase();
    if (!(IMPORT_COLUMNS as readonly string[]).includes(name)) return;
    const column = name as ImportColumn;
    if (header[column] !== undefined) {
      throw new CsvFileError(`Line 1: the column “${column}” is named twice. Keep one.`);
    }
    header[column] = i;
  });
  const missing = IMPORT_REQUIRED.filter((c) => header[c] === undefined);
  if (missing.length) {
    const names = missing.map((c) => `“${c}”`).join(", ");
    throw new CsvFileError(
      `Line 1: no ${names} column. The first line must name the columns: email, name, role (and optionally status).`,
    );
  }
  return header;
}

function parseError(error: unknown): CsvFileError {
  if (error instanceof CsvFileError) return error;
  const e = error as { code?: string; lines?: number };
  const where = typeof e.lines === "number" ? `Line ${e.lines}: ` : "";
  if (e.code?.startsWith("CSV_") && e.code.includes("QUOTE")) {
    return new CsvFileError(
      `${where}a quoted field isn't closed properly. Put quotes around the whole field and write a quote inside it as two ("").`,
    );
  }
  if (e.code?.startsWith("CSV_")) {
    return new CsvFileError(
      `${where}this line can't be read as CSV. Check its quotes and separators.`,
    );
  }
  return new CsvFileError(NOT_UTF8);
}

/** Role names the actor may give, for the fix of a role problem. */
function roleChoices(actorRole: UserRole): string {
  return rolesBelow(actorRole)
    .map((r) => r)
    .reverse()
    .join(", ");
}

/** Checks one row on its own: the address, the name's length, the role against the actor's, the status. */
function checkRow(line: number, cells: Record<ImportColumn, string>, actorRole: UserRole): CsvRow {
  const problems: RowProblem[] = [];
  const email = cells.email.trim();
  const validEmail = email !== "" && emailSchema.safeParse(email).success;
  if (email === "") {
    problems.push({ column: "email", problem: "No email address.", fix: "Add the address." });
  } else if (!validEmail) {
    problems.push({
      column: "email",
      problem: "Not a valid email address.",
      fix: "Correct the address (like name@example.com).",
    });
  }
  const given = cells.name.trim();
  const name = given || (validEmail ? nameFromAddress(email) : "");
  if (name.length > ACCESS_REQUEST_LIMITS.name) {
    problems.push({
      column: "name",
      problem: `The name is longer than ${ACCESS_REQUEST_LIMITS.name} characters.`,
      fix: "Shorten it.",
    });
  }
  const role = cells.role.trim().toLowerCase();
  const allowed = rolesBelow(actorRole);
  if (role === "") {
    problems.push({
      column: "role",
      problem: "No role.",
      fix: `Write one of: ${roleChoices(actorRole)}.`,
    });
  } else if (!(USER_ROLES as readonly string[]).includes(role)) {
    problems.push({
      column: "role",
      problem: "Not a role.",
      fix: `Write one of: ${roleChoices(actorRole)}.`,
    });
  } else if (!allowed.includes(role as UserRole)) {
    problems.push({
      column: "role",
      problem: `${ROLE_LABELS[role as UserRole]} is not below your own role.`,
      fix: `Choose one of: ${roleChoices(actorRole)}.`,
    });
  }
  const status = cells.status.trim().toLowerCase() || IMPORT_STATUSES[0];
  if (!(IMPORT_STATUSES as readonly string[]).includes(status)) {
    problems.push({
      column: "status",
      problem: "Not a status an import can give.",
      fix: "Write invited or pending, or leave it empty (invited).",
    });
  }
  return { line, email, name, role, status: status as ImportStatus | string, problems };
}

/**
 * The rows of data of a CSV file, checked one by one, in file order. Throws CsvFileError when
 * the file as a whole can't be read (not UTF-8, a broken quote, no header, a missing column, too
 * large, too many rows, no rows).
 */
export async function* readCsvRows(source: CsvSource, actorRole: UserRole): AsyncGenerator<CsvRow> {
  const { separator, text } = await withSeparator(normalized(source));
  const parser = parse({
    bom: true,
    delimiter: separator,
    record_delimiter: "\n",
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
  });
  const input = Readable.from(text);
  input.on("error", (e) => parser.destroy(e));
  input.pipe(parser);
  let header: Header | null = null;
  let rows = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      // A field may hold line breaks: the row starts that many lines above where it ends.
      const breaks = record.reduce((n, f) => n + (f.match(/\n/g)?.length ?? 0), 0);
      const line = info.lines - breaks;
      if (!header) {
        header = readHeader(record);
        continue;
      }
      if (record.every((f) => f.trim() === "")) continue;
      if (++rows > IMPORT_MAX_ROWS) throw new CsvFileError(IMPORT_MESSAGES.tooManyRows);
      const cell = (c: ImportColumn) => {
        const i = header?.[c];
        return i === undefined ? "" : (record[i] ?? "");
      };
      yield checkRow(
        line,
        { email: cell("email"), name: cell("name"), role: cell("role"), status: cell("status") },
        actorRole,
      );
    }
  } catch (error) {
    input.destroy();
    throw parseError(error);
  }
  if (!header)
    throw new CsvFileError(
      "That file is empty. Its first line must name the columns: email, name, role.",
    );
  if (rows === 0) throw new CsvFileError(IMPORT_MESSAGES.empty);
}
