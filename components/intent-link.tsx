"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import type { ComponentProps } from "react";

type Props = Omit<ComponentProps<typeof Link>, "prefetch" | "href"> & { href: string };

/**
 * A link that prefetches on intent only: when the pointer rests on it or it takes focus, never
 * because it scrolled into view. Every prefetch is a request the server renders (the session
 * check, the layout, and without a loading boundary the page's queries), so a page full of links
 * prefetching in view cost the server several page renders per page view (issue 20 §6).
 */
export function IntentLink({ href, onMouseEnter, onFocus, onTouchStart, ...props }: Props) {
  const router = useRouter();
  return (
    <Link
      {...props}
      href={href}
      prefetch={false}
      onMouseEnter={(e) => {
        onMouseEnter?.(e);
        router.prefetch(href);
      }}
      onTouchStart={(e) => {
        onTouchStart?.(e);
        router.prefetch(href);
      }}
      onFocus={(e) => {
        onFocus?.(e);
        router.prefetch(href);
      }}
    />
  );
}
