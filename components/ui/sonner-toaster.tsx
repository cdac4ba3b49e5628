"use client";

import { useEffect, useState } from "react";
import { Toaster as Sonner } from "sonner";

/** Sonner, following the app's class-based theme (the `dark` class on <html>). */
export default function SonnerToaster({ onReady }: { onReady: () => void }) {
  const [theme, setTheme] = useState<"light" | "dark">("light");
  useEffect(() => {
    const root = document.documentElement;
    const sync = () => setTheme(root.classList.contains("dark") ? "dark" : "light");
    sync();
    const observer = new MutationObserver(sync);
    observer.observe(root, { attributes: true, attributeFilter: ["class"] });
    return () => observer.disconnect();
  }, []);
  // Runs after Sonner's own effects, so it is listening by then.
  useEffect(() => onReady(), [onReady]);
  return (
    <Sonner
      theme={theme}
      position="bottom-right"
      closeButton
      duration={8000}
      toastOptions={{
        classNames: {
          toast: "!rounded-lg !border !shadow-lg !text-sm",
          actionButton: "!bg-indigo-600 !text-white !font-medium",
        },
      }}
    />
  );
}

export { toast } from "sonner";
