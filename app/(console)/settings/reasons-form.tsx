"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { toast } from "@/components/ui/toaster";
import { REASON_LIST_LIMITS } from "@/model/limits";
import { reasonLines, reasonListProblem } from "@/model/reasons";
import { saveSettingAction } from "./actions";

/**
 * The "Reasons" section: the list every confirmation offers (one per line, in order) and whether
 * a destructive action needs a reason. One Save for both; the server checks the same limits.
 */
export function ReasonsForm({
  initial,
  initialRequired,
}: {
  initial: readonly string[];
  initialRequired: boolean;
}) {
  const router = useRouter();
  const id = useId();
  const [text, setText] = useState(initial.join("\n"));
  const [required, setRequired] = useState(initialRequired);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const save = () => {
    const list = reasonLines(text);
    const problem = reasonListProblem(list);
    if (problem) {
      setError(problem);
      return;
    }
    startTransition(async () => {
      setError(null);
      const result = await saveSettingAction({ setting: "reasons", value: { list, required } });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      toast.success(result.changed ? "Reasons saved." : "Nothing to save: those are the reasons.");
      router.refresh();
    });
  };
  const noteId = `${id}-note`;
  return (
    <form
      className="max-w-xl space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <div className="space-y-1">
        <label htmlFor={`${id}-list`} className="block text-sm font-medium">
          Reasons offered, one per line
        </label>
        <textarea
          id={`${id}-list`}
          rows={7}
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={noteId}
          className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm aria-invalid:border-red-500 dark:border-zinc-700 dark:bg-zinc-900 dark:aria-invalid:border-red-400"
        />
        {error ? (
          <p
            key="error"
            id={noteId}
            role="alert"
            className="text-xs text-red-700 dark:text-red-300"
          >
            {error}
          </p>
        ) : (
          <p key="hint" id={noteId} className="text-xs text-zinc-600 dark:text-zinc-400">
            Every confirmation offers these; free text may follow a choice. At most{" "}
            {REASON_LIST_LIMITS.entries}, each up to {REASON_LIST_LIMITS.length} characters, none
            twice.
          </p>
        )}
      </div>
      <div className="flex items-start gap-2">
        <Checkbox
          id={`${id}-required`}
          checked={required}
          onChange={(e) => setRequired(e.target.checked)}
          aria-describedby={`${id}-required-hint`}
          className="mt-0.5"
        />
        <div>
          <label htmlFor={`${id}-required`} className="text-sm font-medium">
            Require a reason for destructive actions
          </label>
          <p id={`${id}-required-hint`} className="text-xs text-zinc-600 dark:text-zinc-400">
            Deactivate, suspend, archive, reject and delete permanently are refused without one.
            Undo and the changes Roster makes by itself need none.
          </p>
        </div>
      </div>
      <Button type="submit" variant="primary" disabled={pending}>
        {pending ? "Saving…" : "Save"}
      </Button>
    </form>
  );
}
