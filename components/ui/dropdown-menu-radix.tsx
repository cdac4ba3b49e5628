"use client";

import * as Menu from "@radix-ui/react-dropdown-menu";
import { Check } from "lucide-react";
import type { ComponentPropsWithRef } from "react";
import { cx } from "./cx";

/**
 * Non-modal by default: a modal menu hides the rest of the page with aria-hidden while its links
 * and buttons stay focusable, which axe reports (aria-hidden-focus). Escape and outside clicks
 * still close it, and focus still returns to the trigger.
 */
/** @public */
export function DropdownMenu({ modal = false, ...props }: ComponentPropsWithRef<typeof Menu.Root>) {
  return <Menu.Root modal={modal} {...props} />;
}
/** @public */
export const DropdownMenuTrigger = Menu.Trigger;

/** @public */
export function DropdownMenuContent({
  className,
  sideOffset = 4,
  align = "end",
  ...props
}: ComponentPropsWithRef<typeof Menu.Content>) {
  return (
    <Menu.Portal>
      <Menu.Content
        sideOffset={sideOffset}
        align={align}
        className={cx(
          "z-50 min-w-44 overflow-hidden rounded-lg border border-zinc-200 bg-white p-1 text-sm text-zinc-900 shadow-lg outline-none dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100",
          className,
        )}
        {...props}
      />
    </Menu.Portal>
  );
}

const ITEM_CLASS =
  "relative flex cursor-default select-none items-center gap-2 rounded-md px-2 py-1.5 outline-none data-[disabled]:pointer-events-none data-[disabled]:opacity-50 data-[highlighted]:bg-zinc-100 dark:data-[highlighted]:bg-zinc-800";

/** @public */
export function DropdownMenuItem({
  className,
  destructive = false,
  ...props
}: ComponentPropsWithRef<typeof Menu.Item> & { destructive?: boolean }) {
  return (
    <Menu.Item
      className={cx(
        ITEM_CLASS,
        destructive &&
          "text-red-700 data-[highlighted]:bg-red-50 data-[highlighted]:text-red-800 dark:text-red-400 dark:data-[highlighted]:bg-red-950/60 dark:data-[highlighted]:text-red-300",
        className,
      )}
      {...props}
    />
  );
}

/** @public */
export function DropdownMenuCheckboxItem({
  className,
  children,
  ...props
}: ComponentPropsWithRef<typeof Menu.CheckboxItem>) {
  return (
    <Menu.CheckboxItem className={cx(ITEM_CLASS, "pl-8", className)} {...props}>
      <span className="absolute left-2 flex size-4 items-center justify-center">
        <Menu.ItemIndicator>
          <Check aria-hidden="true" className="size-4" strokeWidth={2} />
        </Menu.ItemIndicator>
      </span>
      {children}
    </Menu.CheckboxItem>
  );
}

/** @public */
export function DropdownMenuLabel({
  className,
  ...props
}: ComponentPropsWithRef<typeof Menu.Label>) {
  return (
    <Menu.Label
      className={cx("px-2 py-1.5 text-xs font-medium text-zinc-600 dark:text-zinc-400", className)}
      {...props}
    />
  );
}

/** @public */
export function DropdownMenuSeparator({
  className,
  ...props
}: ComponentPropsWithRef<typeof Menu.Separator>) {
  return (
    <Menu.Separator
      className={cx("-mx-1 my-1 h-px bg-zinc-200 dark:bg-zinc-800", className)}
      {...props}
    />
  );
}
