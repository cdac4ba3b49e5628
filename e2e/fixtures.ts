import { type Browser, test as base, expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "roster-demo";
export type DemoRole = "owner" | "admin" | "manager" | "support" | "member";

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** A new browser context signed in as the demo account of a role. */
export async function pageAs(browser: Browser, role: DemoRole): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, `${role}@roster.test`);
  await page.waitForURL("**/users");
  return page;
}

/** The sign-in page's message (Next's route announcer is also an alert, and is empty). */
export function signInAlert(page: Page) {
  return page.getByRole("alert").filter({ hasText: /\S/ });
}

export const test = base.extend<{ adminPage: Page }>({
  adminPage: async ({ browser }, use) => {
    const page = await pageAs(browser, "admin");
    await use(page);
    await page.context().close();
  },
});

export { expect };
