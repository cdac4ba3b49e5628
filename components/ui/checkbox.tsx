"use client";

import { type ComponentPropsWithoutRef, useEffect, useRef } from "react";
import { cx } from "./cx";

export type CheckboxProps = Omit<ComponentPropsWithoutRef<"input">, "type"> & {
  indeterminate?: boolean;
};

/** A native checkbox (so it is keyboard- and screen-reader-friendly for free), styled. */
export function Checkbox({ indeterminate = false, className, ...props }: CheckboxProps) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = indeterminate;
  }, [indeterminate]);
  return (
    <input
      ref={ref}
      type="checkbox"
      className={cx(
        "size-4 shrink-0 cursor-pointer rounded border-zinc-300 accent-indigo-600 disabled:cursor-not-allowed disabled:opacity-50 dark:accent-indigo-400",
        className,
      )}
      {...props}
    />
  );
}
