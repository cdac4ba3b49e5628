"use client";

import type * as Menu from "@radix-ui/react-dropdown-menu";
import { type ComponentPropsWithRef, createContext, use, useState } from "react";

/*
 * The menus' Radix code (about 30 KB gzip) loads when a menu is first opened, not with the page.
 * Until then each menu renders only its trigger, a plain menu button; pressing it (pointer,
 * Enter, Space or ArrowDown) loads Radix and mounts the real menu, open. Same API as Radix.
 */

type Impl = typeof import("./dropdown-menu-radix");
let impl: Impl | null = null;
let loading: Promise<Impl> | null = null;
function load(): Promise<Impl> {
  loading ??= import("./dropdown-menu-radix").then((m) => {
    impl = m;
    return m;
  });
  return loading;
}

const Dormant = createContext<{ activate: () => void } | null>(null);

export function DropdownMenu(props: ComponentPropsWithRef<typeof Menu.Root>) {
  const [live, setLive] = useState(false);
  if (live && impl) {
    const Root = impl.DropdownMenu;
    return <Root defaultOpen {...props} />;
  }
  const activate = () => {
    void load().then(() => {
      setLive(true);
      props.onOpenChange?.(true);
    });
  };
  return <Dormant value={{ activate }}>{props.children}</Dormant>;
}

export function DropdownMenuTrigger({
  asChild: _asChild,
  onPointerDown,
  onKeyDown,
  ...props
}: ComponentPropsWithRef<typeof Menu.Trigger>) {
  const dormant = use(Dormant);
  if (!dormant && impl) {
    const Trigger = impl.DropdownMenuTrigger;
    return <Trigger onPointerDown={onPointerDown} onKeyDown={onKeyDown} {...props} />;
  }
  return (
    <button
      type="button"
      aria-haspopup="menu"
      aria-expanded={false}
      data-state="closed"
      {...props}
      onPointerDown={(e) => {
        onPointerDown?.(e);
        if (e.button === 0 && !e.ctrlKey && dormant) {
          e.preventDefault();
          dormant.activate();
        }
      }}
      onKeyDown={(e) => {
        onKeyDown?.(e);
        if ((e.key === "Enter" || e.key === " " || e.key === "ArrowDown") && dormant) {
          e.preventDefault();
          dormant.activate();
        }
      }}
    />
  );
}

// The parts inside a menu render nothing until it is live (a closed menu shows no content).

export function DropdownMenuContent(props: ComponentPropsWithRef<typeof Menu.Content>) {
  const dormant = use(Dormant);
  if (dormant || !impl) return null;
  return <impl.DropdownMenuContent {...props} />;
}

export function DropdownMenuItem(
  props: ComponentPropsWithRef<typeof Menu.Item> & { destructive?: boolean },
) {
  const dormant = use(Dormant);
  if (dormant || !impl) return null;
  return <impl.DropdownMenuItem {...props} />;
}

export function DropdownMenuCheckboxItem(props: ComponentPropsWithRef<typeof Menu.CheckboxItem>) {
  const dormant = use(Dormant);
  if (dormant || !impl) return null;
  return <impl.DropdownMenuCheckboxItem {...props} />;
}

export function DropdownMenuLabel(props: ComponentPropsWithRef<typeof Menu.Label>) {
  const dormant = use(Dormant);
  if (dormant || !impl) return null;
  return <impl.DropdownMenuLabel {...props} />;
}

export function DropdownMenuSeparator(props: ComponentPropsWithRef<typeof Menu.Separator>) {
  const dormant = use(Dormant);
  if (dormant || !impl) return null;
  return <impl.DropdownMenuSeparator {...props} />;
}
