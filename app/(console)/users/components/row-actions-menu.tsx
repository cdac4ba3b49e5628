"use client";

import { ChevronDown, Ellipsis } from "lucide-react";
import { Fragment, useId, useRef } from "react";
import { useLifecycleRules } from "@/components/lifecycle-rules";
import { buttonClass } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import type { MenuRules, Verb } from "@/lib/users/lifecycle";

const TONES = ["gentle", "taking", "deleting"] as const;

/** Gentle actions first, then the ones that take something away, and deletion last on its own. */
function groups(rules: MenuRules, actions: readonly Verb[]): Verb[][] {
  return TONES.map((tone) => actions.filter((a) => rules[a].tone === tone)).filter(
    (g) => g.length > 0,
  );
}

export function RowActionsMenu({
  name,
  actions,
  noActionsReason = "No actions you can take on this user.",
  onAction,
  look = "icon",
}: {
  name: string;
  actions: readonly Verb[];
  /** Said when the menu is disabled: the owner, yourself, a rank at or above yours, or the role. */
  noActionsReason?: string;
  onAction: (action: Verb, trigger: HTMLElement | null) => void;
  /** "icon" in table rows; "button" (with the word "Actions") on a page of its own. */
  look?: "icon" | "button";
}) {
  const rules = useLifecycleRules();
  const triggerRef = useRef<HTMLButtonElement>(null);
  const chose = useRef(false);
  const reasonId = useId();
  const label = `Actions for ${name}`;

  if (actions.length === 0 && look === "button") return null;
  if (actions.length === 0) {
    return (
      <span className="inline-flex">
        <button
          type="button"
          disabled
          aria-label={label}
          aria-describedby={reasonId}
          title={noActionsReason}
          className="inline-flex size-8 items-center justify-center rounded-md text-zinc-300 dark:text-zinc-700"
        >
          <DotsIcon />
        </button>
        <span id={reasonId} className="sr-only">
          {noActionsReason}
        </span>
      </span>
    );
  }

  return (
    <DropdownMenu
      onOpenChange={(open) => {
        if (open) chose.current = false;
      }}
    >
      <DropdownMenuTrigger
        ref={triggerRef}
        aria-label={label}
        className={
          look === "button"
            ? buttonClass("secondary", "md")
            : "inline-flex size-8 items-center justify-center rounded-md text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 data-[state=open]:bg-zinc-100 data-[state=open]:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100 dark:data-[state=open]:bg-zinc-800 dark:data-[state=open]:text-zinc-100"
        }
      >
        {look === "button" ? (
          <>
            Actions
            <ChevronDown aria-hidden="true" className="size-4" />
          </>
        ) : (
          <DotsIcon />
        )}
      </DropdownMenuTrigger>
      <DropdownMenuContent
        // A dialog takes over focus; it hands it back to this trigger when it closes.
        onCloseAutoFocus={(e) => {
          if (chose.current) e.preventDefault();
        }}
      >
        {groups(rules, actions).map((group, i) => (
          <Fragment key={group.join()}>
            {i > 0 ? <DropdownMenuSeparator /> : null}
            {group.map((action) => (
              <DropdownMenuItem
                key={action}
                destructive={rules[action].tone === "deleting"}
                onSelect={() => {
                  chose.current = true;
                  onAction(action, triggerRef.current);
                }}
              >
                {rules[action].verb}
              </DropdownMenuItem>
            ))}
          </Fragment>
        ))}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}

function DotsIcon() {
  return <Ellipsis aria-hidden="true" className="size-4" />;
}
