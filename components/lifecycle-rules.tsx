"use client";

import { createContext, type ReactNode, use } from "react";
import type { MenuRules } from "@/lib/users/lifecycle";

const LifecycleRules = createContext<MenuRules | null>(null);

/** The lifecycle table as data (lib/users/lifecycle.ts menuRules), from the console layout. */
export function LifecycleRulesProvider({
  rules,
  children,
}: {
  rules: MenuRules;
  children: ReactNode;
}) {
  return <LifecycleRules value={rules}>{children}</LifecycleRules>;
}

export function useLifecycleRules(): MenuRules {
  const rules = use(LifecycleRules);
  if (!rules) throw new Error("useLifecycleRules needs a LifecycleRulesProvider");
  return rules;
}
