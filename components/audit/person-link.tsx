import { IntentLink } from "@/components/intent-link";
import type { AuditPerson } from "@/lib/audit/queries";

const DELETED_USER = "Deleted user";

/** A person an audit event names: a link to them, "Deleted user" once erased, or "System". */
export function PersonLink({ person }: { person: AuditPerson | null }) {
  if (!person) return <span className="text-zinc-600 dark:text-zinc-400">System</span>;
  if (person.name === null) {
    return <span className="italic text-zinc-600 dark:text-zinc-400">{DELETED_USER}</span>;
  }
  return (
    <IntentLink
      href={`/users/${person.id}`}
      className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
    >
      {person.name}
    </IntentLink>
  );
}
