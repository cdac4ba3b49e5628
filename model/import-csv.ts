/**
 * Import CSV (issue 16 §2): the file's limits, columns and wording, shared by the server and the
 * browser. No imports: model/ is the bottom layer.
 */

/** The largest file accepted (checked in the browser before sending, and by the server). */
export const IMPORT_MAX_BYTES = 10 * 1024 * 1024;
/** The most rows of data one file may hold. */
export const IMPORT_MAX_ROWS = 100_000;

/** An import creating more people than this runs as a job, in batches, with a progress bar. */
export const IMPORT_JOB_ROWS = 5000;
/** The kind of that job (lib/jobs), and the action its audit events name. */
export const IMPORT_JOB = "import-csv";

/** The columns a file has (header names match whatever their case); `status` may be left out. */
export const IMPORT_COLUMNS = ["email", "name", "role", "status"] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];
export const IMPORT_REQUIRED: readonly ImportColumn[] = ["email", "name", "role"];

/** The statuses an imported person may start in; the first is the default. */
export const IMPORT_STATUSES = ["invited", "pending"] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/** One thing wrong with one row of the file: where, what, and what to do. */
export type RowProblem = { column: ImportColumn | null; problem: string; fix: string };

export const IMPORT_MESSAGES = {
  tooLarge: `That file is larger than ${IMPORT_MAX_BYTES / 1024 / 1024} MB. Split it into smaller files and import each.`,
  empty: "That file has no rows of data under its header.",
  tooManyRows: `That file has more than ${IMPORT_MAX_ROWS.toLocaleString("en-US")} rows. Split it into smaller files.`,
  expired: "This preview has expired. Choose the file again.",
} as const;

export const IMPORT_WORDING = {
  button: "Import CSV",
  title: "Import CSV",
  field: "CSV file",
  verb: "Import",
  pending: "Importing…",
  effect:
    "Each row becomes a new user: invited ones get an email with a single-use link and hold a seat; pending ones wait for approval, with no email.",
  hint: `Columns email, name, role and optionally status (invited, the default, or pending); commas or semicolons. At most ${IMPORT_MAX_BYTES / 1024 / 1024} MB and ${IMPORT_MAX_ROWS.toLocaleString("en-US")} rows.`,
  denied: "You don't have permission to import users.",
  past: "Imported from CSV",
} as const;
