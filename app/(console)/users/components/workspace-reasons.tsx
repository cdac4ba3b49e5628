"use client";

import { createContext, type ReactNode, useContext } from "react";

type Reasons = {
  /** The workspace's list (/settings, "Reasons"): the choices every confirmation offers. */
  choices: readonly string[];
  /** Whether a destructive action needs a reason (the server refuses it without one too). */
  required: boolean;
};

const ReasonsContext = createContext<Reasons>({ choices: [], required: false });

/** Hands the workspace's reasons to every confirmation of the console (set by its layout). */
export function WorkspaceReasons({ children, ...reasons }: Reasons & { children: ReactNode }) {
  return <ReasonsContext value={reasons}>{children}</ReasonsContext>;
}

export function useWorkspaceReasons(): Reasons {
  return useContext(ReasonsContext);
}
