"use client";

import { type ReactNode, Suspense, useState } from "react";
import { Button, type ButtonVariant } from "./button";

/**
 * A dialog whose code (Radix Dialog and the dialog itself) loads when its button is first
 * pressed, not with the page. Until then the button is a plain one that looks like the dialog's
 * own trigger; pointing at it or focusing it starts the download, pressing it renders `dialog`
 * (which should mount open, with its own trigger in the button's place, so that focus returns
 * there when it closes).
 */
export function DialogOnDemand({
  load,
  variant,
  label,
  dialog,
}: {
  /** The dialog's module import (the same one `lazy` uses, so the download is shared). */
  load: () => Promise<unknown>;
  variant: ButtonVariant;
  label: ReactNode;
  dialog: ReactNode;
}) {
  const [wanted, setWanted] = useState(false);
  const preload = () => void load().catch(() => undefined);
  const button = (
    <Button
      variant={variant}
      aria-haspopup="dialog"
      aria-expanded={false}
      onPointerEnter={preload}
      onFocus={preload}
      onClick={() => setWanted(true)}
    >
      {label}
    </Button>
  );
  if (!wanted) return button;
  return <Suspense fallback={button}>{dialog}</Suspense>;
}
