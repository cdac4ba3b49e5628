import { ROLE_PERMISSIONS } from "./permissions";
import { ROLE_LABELS, USER_ROLES } from "./roles";
import { STATUS_LABELS, STATUSES, TAB_SPECS, TAB_STATUSES, TABS, USER_STATUSES } from "./statuses";
import type { Rule } from "./verbs/define";
import { definition, NEW_USER_VERB_NAMES, newUserDefinition, VERB_NAMES } from "./verbs/index";

function row(cells: readonly string[]): string {
  return `| ${cells.map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`;
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  return [row(head), row(head.map(() => "---")), ...rows.map(row)].join("\n");
}

function statuses(list: readonly string[]): string {
  if (list.length === 0) return "(new people)";
  return list.length === USER_STATUSES.length ? "any" : list.map((s) => `\`${s}\``).join(", ");
}

function destination(to: Rule["to"]): string {
  if (to === null) return "(row removed)";
  if (to === "same") return "(unchanged)";
  if (to === "previous") return "the status it was archived from";
  return `\`${to}\``;
}

/**
 * docs/lifecycle.md, from the registries (model/statuses.ts, model/verbs/, model/permissions.ts):
 * `npm run docs:lifecycle` writes it, model/lifecycle-doc.test.ts fails when it is stale.
 */
export function lifecycleDoc(): string {
  const verbs = [
    ...VERB_NAMES.map((name) => ({ name, def: definition(name) })),
    // Verbs that create users (invite): run by lib/users/new-users.ts, not on a selection.
    ...NEW_USER_VERB_NAMES.map((name) => ({ name, def: newUserDefinition(name) })),
  ];
  const out: string[] = [
    "# The user lifecycle",
    "",
    "<!-- Generated from model/ by `npm run docs:lifecycle`: do not edit. model/lifecycle-doc.test.ts fails when it is stale. -->",
    "",
    "Every user is in one status. Verbs move them between statuses; each verb is one definition in",
    "`model/verbs/`, and everything below is read off those definitions and the status registry.",
    "",
    "## Statuses",
    "",
    table(
      ["Status", "Badge", "Tab", "Holds a seat", "Invitation accepted", "Sign-in"],
      USER_STATUSES.map((s) => {
        const spec = STATUSES[s];
        return [
          `\`${s}\``,
          spec.label,
          TAB_SPECS[spec.tab].label,
          spec.holdsSeat ? "yes" : "no",
          spec.invitable ? "yes" : "no",
          spec.signIn ? `refused: “${spec.signIn.message({})}”` : "allowed",
        ];
      }),
    ),
    "",
    "A status that ends by itself says until when: “" +
      (STATUSES.inactive.signIn?.message({ until: "Jan 12, 2027, 9:30 AM UTC" }) ?? "") +
      "”",
    "",
    "## Tabs",
    "",
    table(
      ["Tab", "Lists", "When empty"],
      TABS.map((t) => [
        TAB_SPECS[t].label,
        TAB_STATUSES[t].map((s) => STATUS_LABELS[s]).join(", "),
        TAB_SPECS[t].empty.body,
      ]),
    ),
    "",
    "## Verbs",
    "",
    table(
      ["Verb", "From", "To", "Permission", "Seat", "Records", "Undo"],
      verbs.map(({ name, def }) => [
        `${def.wording.verb} (\`${name}\`)`,
        statuses(def.rule.from),
        destination(def.rule.to),
        `\`${def.rule.permission}\``,
        def.rule.needsSeat ? "needs a free one" : "",
        def.rule.needsTransfer ? "move to a new owner first" : "",
        def.rule.inverse ? `\`${def.rule.inverse}\`` : "",
      ]),
    ),
    "",
  ];
  for (const { name, def } of verbs) {
    out.push(`### ${def.wording.verb} (\`${name}\`)`, "", def.wording.effect);
    if (def.wording.warning) out.push("", def.wording.warning);
    const facts: string[] = [];
    if (def.rule.endsSessions) facts.push("Open sessions end at their next request.");
    for (const [key, spec] of Object.entries(def.fields)) {
      const label = spec.kind === "typed" ? `Type ${spec.word} to confirm` : spec.label("them");
      const required = spec.kind === "typed" || ("required" in spec && spec.required);
      facts.push(`Option \`${key}\` (${spec.kind}${required ? ", required" : ""}): ${label}.`);
    }
    for (const [column, option] of Object.entries(def.writes ?? {})) {
      facts.push(
        def.rule.to === "same"
          ? `Writes \`users.${column}\` from \`${option}\`.`
          : `Writes \`users.${column}\` from \`${option}\`; cleared when the user leaves ${destination(def.rule.to)}.`,
      );
    }
    if (def.expires) {
      facts.push(
        `Ends by itself at \`${def.expires.at}\`: the job runner runs \`${def.rule.inverse}\` as “${def.expires.by}”.`,
      );
    }
    if (facts.length > 0) out.push("", ...facts.map((f) => `- ${f}`));
    out.push("");
  }
  out.push(
    "## Who may do what",
    "",
    table(
      ["Verb", ...USER_ROLES.map((r) => ROLE_LABELS[r])],
      verbs.map(({ def }) => [
        def.wording.verb,
        ...USER_ROLES.map((r) => (ROLE_PERMISSIONS[r].includes(def.rule.permission) ? "yes" : "")),
      ]),
    ),
    "",
    "For every verb, single or bulk: nobody acts on themselves, nobody acts on the owner, and an",
    "actor acts only on users whose role ranks below their own (owner > admin > manager > support",
    "> member). The system (“Policy: …”, “SCIM: …”) acts on everyone but the owner. Every change",
    "writes an audit event in the same transaction.",
    "",
  );
  return out.join("\n");
}
