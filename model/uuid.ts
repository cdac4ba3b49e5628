/** No imports: read by db/ (SQL helpers), lib/ and client code alike. */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A uuid as Postgres reads one (any case): anything else never reaches a `::uuid` cast. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
