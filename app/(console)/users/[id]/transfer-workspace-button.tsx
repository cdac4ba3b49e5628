"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogTitle,
  DialogFooter,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/form-fields";
import { toast } from "@/components/ui/toaster";
import { transferWorkspaceAction } from "./transfer-workspace";

/** On the owner's own page: hand the workspace to an admin, typing their email to confirm. */
export function TransferWorkspaceButton() {
  const router = useRouter();
  const fieldId = useId();
  const [open, setOpen] = useState(false);
  const [email, setEmail] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const confirm = () =>
    startTransition(async () => {
      const result = await transferWorkspaceAction({ newOwnerEmail: email });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setOpen(false);
      toast.success("The workspace has a new owner. You're an admin now.");
      router.refresh();
    });
  return (
    <AlertDialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        setEmail("");
        setError(null);
      }}
    >
      <Button onClick={() => setOpen(true)}>Transfer workspace ownership</Button>
      <AlertDialogContent>
        <AlertDialogTitle>Transfer workspace ownership?</AlertDialogTitle>
        <AlertDialogDescription>
          An active admin becomes the workspace owner, and you become an admin. Only the new owner
          can give it back.
        </AlertDialogDescription>
        <div className="mt-4">
          <TextField
            id={fieldId}
            label="Type the new owner's email to confirm"
            type="email"
            autoComplete="off"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            error={error}
          />
        </div>
        <DialogFooter>
          <AlertDialogCancel asChild>
            <Button>Cancel</Button>
          </AlertDialogCancel>
          <Button variant="destructive" disabled={pending || email.trim() === ""} onClick={confirm}>
            {pending ? "Transferring…" : "Transfer ownership"}
          </Button>
        </DialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
