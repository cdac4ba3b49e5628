import { IntentLink } from "@/components/intent-link";
import type { AuditPerson } from "@/lib/audit/queries";
import { auditViewQuery, personIdFilter } from "@/lib/audit/view";

const DELETED_USER = "Deleted user";
const LINK = "font-medium text-indigo-700 hover:underline dark:text-indigo-300";

/**
 * A person an audit event names: a link to them, "Deleted user" once erased, or "System". In
 * the log (`side` given), a deleted user's name links to the events that name their id there.
 */
export function PersonLink({
  person,
  side,
}: {
  person: AuditPerson | null;
  side?: "actor" | "target";
}) {
  if (!person) return <span className="text-zinc-600 dark:text-zinc-400">System</span>;
  if (person.name === null) {
    return side ? (
      <IntentLink
        href={`/audit${auditViewQuery({ [side]: personIdFilter(person.id) })}`}
        className={`${LINK} italic`}
      >
        {DELETED_USER}
      </IntentLink>
    ) : (
      <span className="italic text-zinc-600 dark:text-zinc-400">{DELETED_USER}</span>
    );
  }
  return (
    <IntentLink href={`/users/${person.id}`} className={LINK}>
      {person.name}
    </IntentLink>
  );
}
