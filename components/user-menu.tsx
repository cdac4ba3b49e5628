"use client";

import { useTransition } from "react";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";

/** Who is signed in; the menu ends every session of theirs, on every device. */
export function UserMenu({
  name,
  role,
  onSignOutEverywhere,
}: {
  name: string;
  role: string;
  onSignOutEverywhere: () => Promise<void>;
}) {
  const [pending, startTransition] = useTransition();
  return (
    <DropdownMenu>
      <DropdownMenuTrigger
        className="rounded-md px-2 py-1 text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800"
        disabled={pending}
      >
        {name} <span className="text-xs">({role})</span>
      </DropdownMenuTrigger>
      <DropdownMenuContent>
        <DropdownMenuItem onSelect={() => startTransition(() => onSignOutEverywhere())}>
          Sign out everywhere
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
