"use client";

import { Monitor, Moon, Sun } from "lucide-react";
import { useTheme } from "next-themes";
import { useSyncExternalStore } from "react";
import { cx } from "@/components/ui/cx";

const CHOICES = [
  { value: "light", label: "Light theme", Icon: Sun },
  { value: "dark", label: "Dark theme", Icon: Moon },
  { value: "system", label: "System theme", Icon: Monitor },
] as const;

const noop = () => () => {};

/**
 * Light, dark, or whatever the system prefers: three toggle buttons, the chosen one pressed.
 * next-themes applies the saved choice before paint; until hydration no button is pressed, since
 * the server can't know the choice.
 */
export function ThemeToggle() {
  const { theme, setTheme } = useTheme();
  const hydrated = useSyncExternalStore(
    noop,
    () => true,
    () => false,
  );
  return (
    <fieldset className="flex items-center rounded-md border border-zinc-200 p-0.5 dark:border-zinc-800">
      <legend className="sr-only">Theme</legend>
      {CHOICES.map(({ value, label, Icon }) => {
        const pressed = hydrated && theme === value;
        return (
          <button
            key={value}
            type="button"
            onClick={() => setTheme(value)}
            aria-pressed={pressed}
            aria-label={label}
            title={label}
            className={cx(
              "inline-flex size-7 items-center justify-center rounded text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:hover:text-zinc-100",
              pressed && "bg-zinc-100 text-zinc-900 dark:bg-zinc-800 dark:text-zinc-100",
            )}
          >
            <Icon aria-hidden="true" className="size-4" />
          </button>
        );
      })}
    </fieldset>
  );
}
