"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/form-fields";
import { toast } from "@/components/ui/toaster";
import type { SettingName } from "@/lib/workspace-settings";
import { saveSettingAction } from "./actions";

/** One setting: its field and a Save button; the server's answer shows beside the field. */
export function SettingForm({
  setting,
  label,
  hint,
  initial,
  inputMode,
  readOnlyReason,
  savedMessage,
  options,
}: {
  setting: SettingName;
  label: string;
  hint: string;
  initial: string;
  inputMode?: "numeric" | "email";
  /** Shown instead of a Save button to those who may see the setting but not change it. */
  readOnlyReason?: string;
  savedMessage: string;
  /** A choice among these instead of free text. */
  options?: readonly { value: string; label: string }[];
}) {
  const router = useRouter();
  const id = useId();
  const [value, setValue] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const save = () =>
    startTransition(async () => {
      setError(null);
      const result = await saveSettingAction({ setting, value });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      toast.success(result.changed ? savedMessage : "Nothing to save: that is the current value.");
      router.refresh();
    });
  return (
    <form
      className="flex max-w-xl flex-col gap-3 sm:flex-row sm:items-start"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <div className="flex-1">
        {options ? (
          <SelectField
            id={`${id}-${setting}`}
            label={label}
            options={options}
            value={value}
            disabled={Boolean(readOnlyReason)}
            onChange={(e) => setValue(e.target.value)}
            hint={readOnlyReason ?? hint}
            error={error}
          />
        ) : (
          <TextField
            id={`${id}-${setting}`}
            label={label}
            inputMode={inputMode}
            autoComplete="off"
            value={value}
            readOnly={Boolean(readOnlyReason)}
            onChange={(e) => setValue(e.target.value)}
            hint={readOnlyReason ?? hint}
            error={error}
          />
        )}
      </div>
      {readOnlyReason ? null : (
        <Button type="submit" variant="primary" disabled={pending} className="sm:mt-6">
          {pending ? "Saving…" : "Save"}
        </Button>
      )}
    </form>
  );
}
