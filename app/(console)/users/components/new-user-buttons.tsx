"use client";

import { FileUp, UserPlus } from "lucide-react";
import { lazy } from "react";
import { DialogOnDemand } from "@/components/ui/dialog-on-demand";
import type { UserRole } from "@/model/roles";

// Both dialogs open only on a click: they, Radix Dialog and their wording stay out of the
// first-load JS of /users.
const loadImportCsv = () => import("./import-csv-dialog");
const loadInvite = () => import("./invite-dialog");
const ImportCsvDialog = lazy(() => loadImportCsv().then((m) => ({ default: m.ImportCsvDialog })));
const InviteDialog = lazy(() => loadInvite().then((m) => ({ default: m.InviteDialog })));

/** "Import CSV"; `label` is the dialog's own trigger text (IMPORT_WORDING.button). */
export function ImportCsvButton({ label }: { label: string }) {
  return (
    <DialogOnDemand
      load={loadImportCsv}
      variant="secondary"
      label={
        <>
          <FileUp aria-hidden="true" className="size-4" />
          {label}
        </>
      }
      dialog={<ImportCsvDialog defaultOpen />}
    />
  );
}

/** "Invite people"; `label` is the invite verb's title, as on the dialog's own trigger. */
export function InviteButton({ label, roles }: { label: string; roles: readonly UserRole[] }) {
  return (
    <DialogOnDemand
      load={loadInvite}
      variant="primary"
      label={
        <>
          <UserPlus aria-hidden="true" className="size-4" />
          {label}
        </>
      }
      dialog={<InviteDialog roles={roles} defaultOpen />}
    />
  );
}
