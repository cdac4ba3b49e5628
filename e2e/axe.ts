import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "@playwright/test";
import { type DemoRole, expect, signIn } from "./fixtures";

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
export const THEMES = ["light", "dark"] as const;
export type Theme = (typeof THEMES)[number];
/** The widths the console is checked at: a laptop and a phone. */
export const VIEWPORTS = [
  { name: "1280 px", width: 1280, height: 800 },
  { name: "390 px", width: 390, height: 844 },
] as const;

/** axe (WCAG 2.1 A and AA) finds nothing on the page as it is now. */
export async function expectAccessible(page: Page, what: string) {
  // A page whose title comes from generateMetadata streams it in after the body (Next 16), and a
  // client-side navigation sets it a moment after the new page shows: wait for it, so that axe
  // checks the page as it settles rather than the instant between.
  await expect.poll(() => page.title(), { message: `${what} has a title` }).not.toBe("");
  // A toast still fading in has the contrast of its first frames (1.33:1 and 1.37:1 were seen):
  // wait until every toast is mounted (sonner starts its transition then) and the animations
  // and transitions that end have ended (a spinner's never does).
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll("[data-sonner-toast]")].every(
        (toast) => toast.getAttribute("data-mounted") === "true",
      ) &&
      document
        .getAnimations()
        .every(
          (a) => a.playState !== "running" || a.effect?.getComputedTiming().endTime === Infinity,
        ),
    undefined,
    { timeout: 10_000 },
  );
  const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const found = violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help}\n${v.nodes
        .slice(0, 5)
        .map((n) => `    ${n.target.join(" ")}: ${n.failureSummary?.split("\n").join(" ")}`)
        .join("\n")}`,
  );
  expect(found, `axe violations on ${what}`).toEqual([]);
}

/** A browser context in a theme (saved before any page loads), optionally signed in. */
export async function themedPage(
  browser: Browser,
  theme: Theme,
  role?: DemoRole,
  viewport?: { width: number; height: number },
): Promise<Page> {
  const context = await browser.newContext({
    colorScheme: theme,
    ...(viewport ? { viewport: { width: viewport.width, height: viewport.height } } : {}),
  });
  await context.addInitScript((t) => localStorage.setItem("roster-theme", t), theme);
  const page = await context.newPage();
  if (role) {
    await signIn(page, `${role}@roster.test`);
    await page.waitForURL("**/users");
  }
  return page;
}

export async function expectTheme(page: Page, theme: Theme) {
  if (theme === "dark") await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  else await expect(page.locator("html")).not.toHaveClass(/\bdark\b/);
}
