"use client";

import { useSyncExternalStore } from "react";

const THEME_KEY = "roster-theme";

const listeners = new Set<() => void>();

function subscribe(onChange: () => void): () => void {
  listeners.add(onChange);
  // Another tab changed the theme.
  const onStorage = (e: StorageEvent) => {
    if (e.key !== THEME_KEY) return;
    document.documentElement.classList.toggle("dark", e.newValue === "dark");
    onChange();
  };
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(onChange);
    window.removeEventListener("storage", onStorage);
  };
}

const isDark = () => document.documentElement.classList.contains("dark");

/** Light/dark switch. The root layout's inline script applies the saved theme before paint. */
export function ThemeToggle() {
  // The server can't know the theme: it renders the light state, the client corrects it.
  const dark = useSyncExternalStore(subscribe, isDark, () => false);

  const toggle = () => {
    const next = !isDark();
    document.documentElement.classList.toggle("dark", next);
    try {
      localStorage.setItem(THEME_KEY, next ? "dark" : "light");
    } catch {
      // Private mode without storage: the switch still works for this page.
    }
    for (const l of listeners) l();
  };

  return (
    <button
      type="button"
      onClick={toggle}
      aria-pressed={dark}
      aria-label="Dark theme"
      title={dark ? "Switch to the light theme" : "Switch to the dark theme"}
      className="inline-flex size-8 items-center justify-center rounded-md text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
    >
      {dark ? <SunIcon /> : <MoonIcon />}
    </button>
  );
}

function MoonIcon() {
  return (
    <svg viewBox="0 0 20 20" aria-hidden="true" className="size-5 fill-current">
      <path d="M17.3 12.9A7.5 7.5 0 0 1 7.1 2.7a7.5 7.5 0 1 0 10.2 10.2z" />
    </svg>
  );
}

function SunIcon() {
  return (
    <svg viewBox="0 0 20 20" aria-hidden="true" className="size-5 fill-none stroke-current">
      <circle cx="10" cy="10" r="3.5" strokeWidth="1.5" />
      <path
        d="M10 1.5v2m0 13v2m8.5-8.5h-2m-13 0h-2m14.5-6l-1.4 1.4M5 15l-1.4 1.4m12.8 0L15 15M5 5 3.6 3.6"
        strokeWidth="1.5"
        strokeLinecap="round"
      />
    </svg>
  );
}
