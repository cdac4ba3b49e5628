import { REASON_LIST_LIMITS } from "./limits";

/**
 * What is wrong with a workspace's list of reasons, in words, or null: at most 20, none empty,
 * each at most 80 characters, none twice (whatever the case). The server refuses the same.
 */
export function reasonListProblem(list: readonly string[]): string | null {
  const { entries, length } = REASON_LIST_LIMITS;
  if (list.length > entries) {
    return `Keep the list to ${entries} reasons: ${list.length - entries} too many.`;
  }
  const seen = new Set<string>();
  for (const raw of list) {
    const reason = raw.trim();
    if (reason === "") return "A reason can't be empty: remove the blank line.";
    if (reason.length > length) {
      return `Keep each reason to ${length} characters: “${reason.slice(0, 30)}…” has ${reason.length}.`;
    }
    const key = reason.toLowerCase();
    if (seen.has(key)) return `“${reason}” is in the list twice.`;
    seen.add(key);
  }
  return null;
}

/** The lines of the settings' text, one reason each (blank lines left out). */
export function reasonLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "");
}

/** The choice of the list a reason starts with ("Security" or "Security: a leaked password"). */
export function chosenReason(reason: string, choices: readonly string[]): string | null {
  const text = reason.trim();
  return choices.find((c) => text === c || text.startsWith(`${c}: `)) ?? null;
}

/** The reason after picking a choice: the choice, then what was typed after the previous one. */
export function pickReason(choice: string, reason: string, choices: readonly string[]): string {
  const text = reason.trim();
  const previous = chosenReason(text, choices);
  const rest = previous ? text.slice(previous.length).replace(/^:\s*/, "") : text;
  return rest ? `${choice}: ${rest}` : choice;
}
