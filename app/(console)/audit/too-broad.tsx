import { IntentLink } from "@/components/intent-link";
import type { BroadFilter } from "@/lib/audit/queries";
import { type AuditView, auditViewQuery, personIdFilter } from "@/lib/audit/view";
import { formatCount } from "@/lib/format";

const SIDE_LABELS: Record<BroadFilter["side"], string> = { actor: "Actor", target: "Target" };

/**
 * Where the events would be when a name filter matches more than 100 people: the log does not
 * answer it (no events, no count), says how many people it matched, and offers the first of
 * them by name, each a link that filters by that person's id.
 */
export function TooBroad({ broad, view }: { broad: BroadFilter[]; view: AuditView }) {
  return (
    <div className="space-y-4">
      {broad.map((b) => {
        const headingId = `too-broad-${b.side}`;
        const matched = b.matched.capped
          ? `more than ${formatCount(b.matched.n)}`
          : formatCount(b.matched.n);
        return (
          <section
            key={b.side}
            aria-labelledby={headingId}
            className="rounded-md border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-100"
          >
            <h2 id={headingId} className="font-semibold">
              {SIDE_LABELS[b.side]} “{b.text}” matches {matched} people
            </h2>
            <p className="mt-1">
              That is too many to filter the log by. Pick one below, or type more of a name or
              email.
            </p>
            <h3 className="mt-3 text-xs font-medium">
              {b.matched.capped
                ? `${b.people.length} of them, by name`
                : `The first ${b.people.length} by name`}
            </h3>
            <ul className="mt-1 grid grid-cols-1 gap-x-4 gap-y-1 sm:grid-cols-2">
              {b.people.map((p) => (
                <li key={p.id} className="min-w-0">
                  <IntentLink
                    href={`/audit${auditViewQuery({ ...view, [b.side]: personIdFilter(p.id), cursor: null })}`}
                    className="inline-block max-w-full break-words py-0.5 font-medium text-indigo-700 hover:underline dark:text-indigo-300"
                  >
                    {p.name}{" "}
                    <span className="font-normal text-zinc-700 dark:text-zinc-300">{p.email}</span>
                  </IntentLink>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
