"use client";

import { lazy, Suspense, useSyncExternalStore } from "react";
import type { toast as sonnerToast } from "sonner";

/*
 * Sonner loads on the first toast, not with the page: it is kept out of the first-load JS.
 * `toast.success(…)` etc. mount the toaster, wait until it listens, then show the toast.
 */

const SonnerToaster = lazy(() => import("./sonner-toaster"));

let wanted = false;
let markReady: () => void = () => {};
const ready = new Promise<void>((resolve) => {
  markReady = resolve;
});
const listeners = new Set<() => void>();

function subscribe(onChange: () => void) {
  listeners.add(onChange);
  return () => listeners.delete(onChange);
}

function mount() {
  if (wanted) return;
  wanted = true;
  for (const l of listeners) l();
}

export function Toaster() {
  const on = useSyncExternalStore(
    subscribe,
    () => wanted,
    () => false,
  );
  return on ? (
    <Suspense fallback={null}>
      <SonnerToaster onReady={markReady} />
    </Suspense>
  ) : null;
}

type Sonner = typeof sonnerToast;
type Show = (message: string, options?: Parameters<Sonner["success"]>[1]) => void;

function later(pick: (t: Sonner) => Sonner["success"]): Show {
  return (message, options) => {
    mount();
    void Promise.all([import("./sonner-toaster"), ready]).then(([m]) => {
      pick(m.toast)(message, options);
    });
  };
}

export const toast = {
  success: later((t) => t.success),
  warning: later((t) => t.warning),
  error: later((t) => t.error),
  info: later((t) => t.info),
};
