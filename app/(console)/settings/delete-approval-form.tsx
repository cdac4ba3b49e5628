"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { FormAlert } from "@/components/ui/form-fields";
import { toast } from "@/components/ui/toaster";
import { saveSettingAction } from "./actions";

/** "Deletion approval": four-eyes delete on or off (lib/users/deletion-requests.ts). */
export function DeleteApprovalForm({ initial }: { initial: boolean }) {
  const router = useRouter();
  const id = useId();
  const [on, setOn] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const save = () =>
    startTransition(async () => {
      setError(null);
      const result = await saveSettingAction({ setting: "deleteApproval", value: on }).catch(
        () => ({ ok: false as const, error: "Couldn't reach the server. Try again." }),
      );
      if (!result.ok) {
        setError(result.error);
        return;
      }
      toast.success(
        result.changed
          ? on
            ? "Saved: deleting users now needs a second admin's approval."
            : "Saved: admins delete users without a second approval."
          : "Nothing to save: that is the current value.",
      );
      router.refresh();
    });
  return (
    <form
      className="max-w-3xl space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        When on, Delete permanently doesn&apos;t delete: it makes a deletion request that another
        admin or the owner approves or declines under Requests, never the person who asked. The
        owner&apos;s deletes need approval too. Requests expire after 7 days; each step is in the
        audit log. Policies and the identity provider (SCIM) delete without approval.
      </p>
      <label htmlFor={`${id}-on`} className="flex items-center gap-2 text-sm font-medium">
        <Checkbox
          id={`${id}-on`}
          role="switch"
          checked={on}
          onChange={(e) => setOn(e.target.checked)}
        />
        Require a second admin to delete
      </label>
      <FormAlert>{error}</FormAlert>
      <Button type="submit" variant="primary" disabled={pending}>
        {pending ? "Saving…" : "Save"}
      </Button>
    </form>
  );
}
