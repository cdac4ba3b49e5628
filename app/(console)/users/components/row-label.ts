type Named = { name: string; email: string };

const repeatedOn = new WeakMap<readonly Named[], Set<string>>();

/** The names that appear more than once among these rows (worked out once per page of rows). */
function repeatedNames(rows: readonly Named[]): Set<string> {
  let repeated = repeatedOn.get(rows);
  if (!repeated) {
    const seen = new Set<string>();
    repeated = new Set();
    for (const { name } of rows) {
      if (seen.has(name)) repeated.add(name);
      seen.add(name);
    }
    repeatedOn.set(rows, repeated);
  }
  return repeated;
}

/**
 * A row's name as its controls' accessible names use it ("Select …", "Actions for …"): with the
 * email where the name repeats on the page, so a screen reader can tell the rows apart.
 */
export function rowLabel(row: Named, rows: readonly Named[]): string {
  return repeatedNames(rows).has(row.name) ? `${row.name} (${row.email})` : row.name;
}
