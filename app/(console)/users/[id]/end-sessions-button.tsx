"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogTitle,
  DialogFooter,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { toast } from "@/components/ui/toaster";
import { endSessionsAction } from "./end-sessions";

/** "End sessions": signs the user out on every device, after a confirmation. */
export function EndSessionsButton({ user }: { user: { id: string; name: string } }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [pending, startTransition] = useTransition();
  const confirm = () =>
    startTransition(async () => {
      const result = await endSessionsAction({ userId: user.id });
      setOpen(false);
      if (result.ok) {
        toast.success(`${user.name} is signed out everywhere.`);
        router.refresh();
      } else {
        toast.error(result.error);
      }
    });
  return (
    <AlertDialog open={open} onOpenChange={setOpen}>
      <Button onClick={() => setOpen(true)}>End sessions</Button>
      <AlertDialogContent>
        <AlertDialogTitle>End {user.name}&apos;s sessions?</AlertDialogTitle>
        <AlertDialogDescription>
          They are signed out on every device and must sign in again. Their account stays as it is.
        </AlertDialogDescription>
        <DialogFooter>
          <AlertDialogCancel asChild>
            <Button>Cancel</Button>
          </AlertDialogCancel>
          <Button variant="destructive" disabled={pending} onClick={confirm}>
            {pending ? "Ending sessions…" : "End sessions"}
          </Button>
        </DialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
